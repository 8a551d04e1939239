/**
 * The credential provider the function bundles use in place of the SDK's chain, with the
 * environment as Lambda sets it, and a container credentials endpoint stood in for by a local
 * HTTP server (no AWS endpoint runs here).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultProvider } from '../../lib/aws/environment-credentials.ts';

const NAMES = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_CREDENTIAL_EXPIRATION',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_PROFILE',
];

describe('environment credentials', () => {
  const saved = Object.fromEntries(NAMES.map((n) => [n, process.env[n]]));
  const set = (values: Record<string, string>) => {
    for (const n of NAMES) delete process.env[n];
    Object.assign(process.env, values);
  };
  afterEach(() => {
    for (const [n, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[n];
      else process.env[n] = v;
    }
  });

  it('reads the role credentials Lambda puts in the environment', async () => {
    set({ AWS_ACCESS_KEY_ID: 'ASIAEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret', AWS_SESSION_TOKEN: 'session' });
    const provider = defaultProvider();
    expect(await provider()).toMatchObject({
      accessKeyId: 'ASIAEXAMPLE',
      secretAccessKey: 'secret',
      sessionToken: 'session',
    });
  });

  it('falls back to a container credentials endpoint, and says so when there is neither', async () => {
    const server = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          AccessKeyId: 'ASIACONTAINER',
          SecretAccessKey: 'container-secret',
          Token: 'container-token',
          Expiration: new Date(Date.now() + 3_600_000).toISOString(),
        }),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      set({
        AWS_CONTAINER_CREDENTIALS_FULL_URI: `http://127.0.0.1:${(server.address() as AddressInfo).port}/creds`,
      });
      expect(await defaultProvider()()).toMatchObject({
        accessKeyId: 'ASIACONTAINER',
        sessionToken: 'container-token',
      });
    } finally {
      server.close();
    }
    set({});
    await expect(defaultProvider()()).rejects.toThrow(/AWS_CONTAINER_CREDENTIALS/);
  });
});
