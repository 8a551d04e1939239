/**
 * Secrets in SSM Parameter Store (SecureString, decrypted with the aws/ssm key) and in Secrets
 * Manager, behind the ParameterSource port. A missing entry is an answer (undefined), not an error;
 * a refusal is terminal, anything else transient. Errors name the parameter, never a value.
 */
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import type { ParameterSource } from './parameter-source.ts';
import { ParameterAccessError, ParameterUnavailableError } from './parameter-source.ts';

const REFUSED = new Set([
  'AccessDeniedException',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'KMSAccessDeniedException',
  'DecryptionFailure',
]);

export class SsmParameterSource implements ParameterSource {
  readonly #client: SSMClient;

  constructor(client: SSMClient) {
    this.#client = client;
  }

  async get(name: string): Promise<string | undefined> {
    try {
      const answer = await this.#client.send(new GetParameterCommand({ Name: name, WithDecryption: true }));
      return answer.Parameter?.Value;
    } catch (error) {
      if (errorName(error) === 'ParameterNotFound') return undefined;
      throw storeError('SSM Parameter Store', name, error);
    }
  }
}

export class SecretsManagerParameterSource implements ParameterSource {
  readonly #client: SecretsManagerClient;

  constructor(client: SecretsManagerClient) {
    this.#client = client;
  }

  async get(name: string): Promise<string | undefined> {
    try {
      const answer = await this.#client.send(new GetSecretValueCommand({ SecretId: name }));
      if (answer.SecretString !== undefined) return answer.SecretString;
      return answer.SecretBinary ? Buffer.from(answer.SecretBinary).toString('utf8') : undefined;
    } catch (error) {
      if (errorName(error) === 'ResourceNotFoundException') return undefined;
      throw storeError('Secrets Manager', name, error);
    }
  }
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : '';
}

function storeError(store: string, parameter: string, error: unknown): Error {
  const code = errorName(error);
  const data = { store, parameter, code };
  if (REFUSED.has(code))
    return new ParameterAccessError(`${store} refused to read ${parameter} (${code})`, {
      cause: error,
      data,
    });
  return new ParameterUnavailableError(`${store} could not read ${parameter} (${code || 'network error'})`, {
    cause: error,
    data,
  });
}
