/**
 * A local HTTP server standing in for SSM Parameter Store and Secrets Manager, which cannot run
 * here: it answers the two calls ferry makes (GetParameter, GetSecretValue) in the services' JSON
 * protocol from maps the test fills, with the services' error shapes. `fail` makes every call
 * answer an error, to see how the adapters classify it.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ParameterStoreStandIn {
  url: string;
  parameters: Map<string, string>;
  secrets: Map<string, string>;
  /** Every X-Amz-Target asked, with its name. */
  calls: string[];
  fail: { status: number; type: string } | undefined;
  close(): Promise<void>;
}

export async function startParameterStoreStandIn(): Promise<ParameterStoreStandIn> {
  const stand: Omit<ParameterStoreStandIn, 'url' | 'close'> = {
    parameters: new Map(),
    secrets: new Map(),
    calls: [],
    fail: undefined,
  };
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
    const target = String(req.headers['x-amz-target'] ?? '');
    const answer = (status: number, payload: unknown, type?: string) => {
      res.writeHead(status, {
        'content-type': 'application/x-amz-json-1.1',
        ...(type ? { 'x-amzn-errortype': type } : {}),
      });
      res.end(JSON.stringify(payload));
    };
    const failure = (status: number, type: string) => answer(status, { __type: type, message: type }, type);
    if (stand.fail) return failure(stand.fail.status, stand.fail.type);
    if (target === 'AmazonSSM.GetParameter') {
      const name = String(body.Name);
      stand.calls.push(`GetParameter ${name} decrypt=${body.WithDecryption === true}`);
      const value = stand.parameters.get(name);
      if (value === undefined) return failure(400, 'ParameterNotFound');
      return answer(200, { Parameter: { Name: name, Type: 'SecureString', Value: value, Version: 1 } });
    }
    if (target === 'secretsmanager.GetSecretValue') {
      const id = String(body.SecretId);
      stand.calls.push(`GetSecretValue ${id}`);
      const value = stand.secrets.get(id);
      if (value === undefined) return failure(400, 'ResourceNotFoundException');
      return answer(200, {
        ARN: `arn:aws:secretsmanager:us-east-1:123456789012:secret:${id}`,
        Name: id,
        SecretString: value,
      });
    }
    return failure(400, 'UnknownOperationException');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(stand, {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}
