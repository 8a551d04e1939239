import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failureClassOf } from '../../lib/errors.ts';
import {
  OCI_MANIFEST,
  parseImageName,
  RegistryAuthError,
  RegistryClient,
  type RegistryCredentials,
} from '../../lib/registry/index.ts';
import type { PushedImage, Registry } from '../support/registry.ts';
import { startRegistry } from '../support/registry.ts';

const alice: RegistryCredentials = { username: 'alice', password: 'alice-Pa55word' };
const bob: RegistryCredentials = { username: 'bob', password: 'bob-Pa55word' };
const wrong: RegistryCredentials = { username: 'alice', password: 'not-the-Pa55word' };

/** Everything an error carries that could end up in a log or an event. */
function exposed(error: unknown): string {
  const e = error as Error & { data?: unknown; cause?: unknown };
  return JSON.stringify({ message: e.message, data: e.data, cause: String(e.cause), stack: e.stack });
}

function expectNoSecrets(error: unknown): void {
  for (const secret of [alice.password, bob.password, wrong.password])
    expect(exposed(error)).not.toContain(secret);
  expect(exposed(error)).not.toMatch(/Basic [A-Za-z0-9+/=]{8,}|Bearer [\w-]+\.[\w-]+/);
}

describe('Basic auth (htpasswd) over HTTPS', () => {
  let registry: Registry;
  let pushed: PushedImage;
  const client = new RegistryClient();
  const app = () => parseImageName(`${registry.host}/team/app`);

  beforeAll(async () => {
    registry = await startRegistry({ tls: true, auth: { htpasswd: { users: { alice: alice.password } } } });
    pushed = await registry.pushImage('team/app', '1.0.0');
  });
  afterAll(async () => {
    await registry?.close();
  });

  it('lists and resolves with the configured credentials, over HTTPS by default', async () => {
    expect(registry.url).toMatch(/^https:/);
    expect(await client.listTags(app(), { credentials: alice })).toEqual(['1.0.0']);
    expect(await client.resolveTag(app(), '1.0.0', { credentials: alice })).toEqual({
      digest: pushed.digest,
      mediaType: OCI_MANIFEST,
    });
  });

  it('fails terminally without credentials, naming the host and the repository', async () => {
    const error = await new RegistryClient().listTags(app()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryAuthError);
    expect(failureClassOf(error)).toBe('terminal');
    expect((error as Error).message).toBe(
      `${registry.host} asks for credentials to read team/app, and none are configured`,
    );
  });

  it('fails terminally with a wrong password, and says nothing of it', async () => {
    const error = await client.resolveTag(app(), '1.0.0', { credentials: wrong }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryAuthError);
    expect((error as Error).message).toBe(
      `${registry.host} refused the configured credentials to team/app (401)`,
    );
    expect((error as RegistryAuthError).data).toEqual({
      host: registry.host,
      repository: 'team/app',
      status: 401,
    });
    expectNoSecrets(error);
  });
});

describe('token auth (the registry with a token server)', () => {
  let registry: Registry;
  let pushed: PushedImage;
  const image = (repository: string) => parseImageName(`${registry.host}/${repository}`);
  const asBob = { credentials: bob, insecure: true };

  beforeAll(async () => {
    registry = await startRegistry({
      auth: {
        token: { users: { alice: alice.password, bob: bob.password }, publicRepositories: ['public/app'] },
      },
    });
    pushed = await registry.pushImage('team/app', '1.0.0');
    await registry.pushImage('team/app', '1.1.0');
    await registry.pushImage('team/other', '1.0.0');
    await registry.pushImage('public/app', '3.0.0');
  });
  afterAll(async () => {
    await registry?.close();
  });

  it('fetches a token for the repository with the credentials and reuses it until it expires', async () => {
    let now = Date.parse('2030-01-01T00:00:00Z');
    const client = new RegistryClient({ now: () => now });
    const before = registry.tokenRequests.length;

    expect((await client.listTags(image('team/app'), asBob)).sort()).toEqual(['1.0.0', '1.1.0']);
    expect(await client.resolveTag(image('team/app'), '1.0.0', asBob)).toEqual({
      digest: pushed.digest,
      mediaType: OCI_MANIFEST,
    });
    expect((await client.getManifest(image('team/app'), '1.1.0', asBob)).mediaType).toBe(OCI_MANIFEST);
    const asked = registry.tokenRequests.slice(before);
    expect(asked).toEqual([
      { account: 'bob', service: 'ferry-test-registry', scopes: ['repository:team/app:pull'], status: 200 },
    ]);

    now += 301_000; // past the token's expires_in of 300 s
    await client.resolveTag(image('team/app'), '1.1.0', asBob);
    expect(registry.tokenRequests.slice(before)).toHaveLength(2);
  });

  it('asks for one token per repository', async () => {
    const client = new RegistryClient();
    const before = registry.tokenRequests.length;
    await client.resolveTag(image('team/app'), '1.0.0', asBob);
    await client.resolveTag(image('team/other'), '1.0.0', asBob);
    await client.resolveTag(image('team/other'), '1.0.0', asBob);
    expect(registry.tokenRequests.slice(before).map((r) => r.scopes)).toEqual([
      ['repository:team/app:pull'],
      ['repository:team/other:pull'],
    ]);
  });

  it('keeps tokens of different credentials apart', async () => {
    const client = new RegistryClient();
    const before = registry.tokenRequests.length;
    await client.resolveTag(image('team/app'), '1.0.0', asBob);
    await client.resolveTag(image('team/app'), '1.0.0', { credentials: alice, insecure: true });
    expect(registry.tokenRequests.slice(before).map((r) => r.account)).toEqual(['bob', 'alice']);
  });

  it('reads a public repository anonymously', async () => {
    const client = new RegistryClient();
    expect(await client.listTags(image('public/app'), { insecure: true })).toEqual(['3.0.0']);
    expect(registry.tokenRequests.at(-1)).toMatchObject({ account: undefined, status: 200 });
  });

  it('fails terminally when even a fresh token does not open the repository', async () => {
    const before = registry.tokenRequests.length;
    const error = await new RegistryClient()
      .listTags(image('team/app'), { insecure: true })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryAuthError);
    expect((error as Error).message).toBe(`${registry.host} refused anonymous access to team/app (401)`);
    expect(registry.tokenRequests.slice(before)).toHaveLength(1);
  });

  it('fails terminally when the token server refuses the credentials, and says nothing of them', async () => {
    const error = await new RegistryClient()
      .resolveTag(image('team/app'), '1.0.0', { credentials: wrong, insecure: true })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryAuthError);
    expect((error as Error).message).toMatch(
      new RegExp(
        `^the token server 127\\.0\\.0\\.1:\\d+ of ${registry.host} refused the configured credentials`,
      ),
    );
    expect(registry.tokenRequests.at(-1)).toMatchObject({ account: undefined, status: 401 });
    expectNoSecrets(error);
  });
});

describe('token auth behind HTTPS with a plain-HTTP token realm', () => {
  let registry: Registry;
  const image = (repository: string) => parseImageName(`${registry.host}/${repository}`);

  beforeAll(async () => {
    registry = await startRegistry({
      tls: true,
      auth: { token: { users: { bob: bob.password }, publicRepositories: ['public/app'] } },
    });
    await registry.pushImage('team/app', '1.0.0');
    await registry.pushImage('public/app', '1.0.0');
  });
  afterAll(async () => {
    await registry?.close();
  });

  it('does not send credentials to the realm unless the repository is marked insecure', async () => {
    const before = registry.tokenRequests.length;
    const error = await new RegistryClient()
      .resolveTag(image('team/app'), '1.0.0', { credentials: bob })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryAuthError);
    expect((error as Error).message).toMatch(
      /asks for credentials over plain HTTP \(token realm 127\.0\.0\.1:\d+\)/,
    );
    expect(registry.tokenRequests.slice(before)).toEqual([]);
  });

  it('still reads a public repository anonymously', async () => {
    const before = registry.tokenRequests.length;
    expect(await new RegistryClient().listTags(image('public/app'))).toEqual(['1.0.0']);
    expect(registry.tokenRequests.slice(before)).toEqual([
      {
        account: undefined,
        service: 'ferry-test-registry',
        scopes: ['repository:public/app:pull'],
        status: 200,
      },
    ]);
  });
});
