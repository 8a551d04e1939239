/** The SSM and Secrets Manager adapters through the real SDK clients, against a local stand-in. */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  firstFound,
  ParameterAccessError,
  ParameterUnavailableError,
} from '../../lib/aws/parameter-source.ts';
import { SecretsManagerParameterSource, SsmParameterSource } from '../../lib/aws/ssm-parameter-source.ts';
import type { ParameterStoreStandIn } from './parameter-store-stand-in.ts';
import { startParameterStoreStandIn } from './parameter-store-stand-in.ts';

describe('SSM and Secrets Manager parameter sources', () => {
  let stand: ParameterStoreStandIn;
  let ssm: SsmParameterSource;
  let secrets: SecretsManagerParameterSource;

  beforeAll(async () => {
    stand = await startParameterStoreStandIn();
    const config = {
      endpoint: stand.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
      maxAttempts: 1,
    };
    ssm = new SsmParameterSource(new SSMClient(config));
    secrets = new SecretsManagerParameterSource(new SecretsManagerClient(config));
  });
  afterAll(async () => {
    await stand?.close();
  });

  it('reads a SecureString decrypted, and a secret; a missing one is undefined', async () => {
    stand.parameters.set('/ferry/test/apps/db', '{"password":"p"}');
    stand.secrets.set('/ferry/test/apps/api', '{"token":"t"}');
    expect(await ssm.get('/ferry/test/apps/db')).toBe('{"password":"p"}');
    expect(await secrets.get('/ferry/test/apps/api')).toBe('{"token":"t"}');
    expect(await ssm.get('/ferry/test/apps/none')).toBeUndefined();
    expect(await secrets.get('/ferry/test/apps/none')).toBeUndefined();
    expect(stand.calls).toContain('GetParameter /ferry/test/apps/db decrypt=true');
  });

  it('looks in Secrets Manager only for what SSM does not have', async () => {
    stand.calls = [];
    const both = firstFound(ssm, secrets);
    expect(await both.get('/ferry/test/apps/api')).toBe('{"token":"t"}');
    expect(await both.get('/ferry/test/apps/db')).toBe('{"password":"p"}');
    expect(stand.calls).toEqual([
      'GetParameter /ferry/test/apps/api decrypt=true',
      'GetSecretValue /ferry/test/apps/api',
      'GetParameter /ferry/test/apps/db decrypt=true',
    ]);
  });

  it.each([
    {
      label: 'a refusal is terminal',
      fail: { status: 400, type: 'AccessDeniedException' },
      error: ParameterAccessError,
    },
    {
      label: 'throttling is transient',
      fail: { status: 400, type: 'ThrottlingException' },
      error: ParameterUnavailableError,
    },
    {
      label: 'a server error is transient',
      fail: { status: 500, type: 'InternalServerError' },
      error: ParameterUnavailableError,
    },
  ])('classifies errors: $label, naming the parameter', async ({ fail, error }) => {
    stand.fail = fail;
    try {
      for (const source of [ssm, secrets]) {
        const thrown = await source.get('/ferry/test/apps/db').catch((e: unknown) => e);
        expect(thrown).toBeInstanceOf(error);
        expect((thrown as Error).message).toContain('/ferry/test/apps/db');
        expect((thrown as Error).message).toContain(fail.type);
      }
    } finally {
      stand.fail = undefined;
    }
  });
});
