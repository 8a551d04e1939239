/**
 * ECR tokens. AWS itself cannot run here, so GetAuthorizationToken is answered by a stub client
 * (the SDK's command goes in, a response shaped like ECR's comes out); the credentials it yields
 * are then used against the real registry, set up with Basic auth for the user `AWS` as ECR is.
 */
import type { GetAuthorizationTokenCommand, GetAuthorizationTokenCommandOutput } from '@aws-sdk/client-ecr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failureClassOf } from '../../lib/errors.ts';
import {
  type EcrClientLike,
  EcrTokenSource,
  OCI_MANIFEST,
  parseEcrHost,
  parseImageName,
  RegistryAccessError,
  RegistryAuthError,
  RegistryClient,
  RegistryUnavailableError,
} from '../../lib/registry/index.ts';
import { startRegistry } from '../support/registry.ts';

const HOST = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';
const HOUR = 3600_000;
const T0 = Date.parse('2030-01-01T00:00:00Z');

class StubEcr implements EcrClientLike {
  readonly commands: string[] = [];
  /** One answer per call, in order: a password (the token lasts 12 h from the call) or an error. */
  readonly answers: (string | Error)[] = [];
  readonly clock: { now: number };

  constructor(clock: { now: number }) {
    this.clock = clock;
  }

  async send(command: GetAuthorizationTokenCommand): Promise<GetAuthorizationTokenCommandOutput> {
    this.commands.push(command.constructor.name);
    const answer = this.answers.shift() ?? new Error('no answer left');
    if (answer instanceof Error) throw answer;
    return {
      $metadata: { httpStatusCode: 200 },
      authorizationData: [
        {
          authorizationToken: Buffer.from(`AWS:${answer}`).toString('base64'),
          expiresAt: new Date(this.clock.now + 12 * HOUR),
          proxyEndpoint: `https://${HOST}`,
        },
      ],
    };
  }
}

function awsError(name: string): Error {
  return Object.assign(new Error(`${name}: request 1234 failed`), { name });
}

function sourceAt(now = T0) {
  const clock = { now };
  const stub = new StubEcr(clock);
  const regions: string[] = [];
  const source = new EcrTokenSource({
    now: () => clock.now,
    clientFor: (region) => {
      regions.push(region);
      return stub;
    },
  });
  return { clock, stub, regions, source };
}

describe('ECR registry hosts', () => {
  it.each([
    [HOST, { accountId: '123456789012', region: 'eu-west-1', fips: false }],
    [
      '123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com',
      { accountId: '123456789012', region: 'us-gov-west-1', fips: true },
    ],
    [
      '123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn',
      { accountId: '123456789012', region: 'cn-north-1', fips: false },
    ],
    ['public.ecr.aws', undefined],
    ['123456789012.dkr.ecr.eu-west-1.amazonaws.com.evil.example', undefined],
    ['ghcr.io', undefined],
  ])('%s', (host, expected) => {
    expect(parseEcrHost(host)).toEqual(expected);
  });
});

describe('ECR token source', () => {
  it('calls GetAuthorizationToken once and reuses the token while more than an hour of it is left', async () => {
    const { clock, stub, source } = sourceAt();
    stub.answers.push('first', 'second');
    expect(await source.credentials(HOST)).toEqual({ username: 'AWS', password: 'first' });
    clock.now = T0 + 11 * HOUR - 1;
    expect(await source.credentials(HOST)).toEqual({ username: 'AWS', password: 'first' });
    expect(stub.commands).toEqual(['GetAuthorizationTokenCommand']);

    clock.now = T0 + 11 * HOUR + 1;
    expect(await source.credentials(HOST)).toEqual({ username: 'AWS', password: 'second' });
    expect(stub.commands).toHaveLength(2);
  });

  it('shares one call among callers asking at once', async () => {
    const { stub, source } = sourceAt();
    stub.answers.push('only');
    const all = await Promise.all(Array.from({ length: 5 }, () => source.credentials(HOST)));
    expect(all.map((c) => c.password)).toEqual(['only', 'only', 'only', 'only', 'only']);
    expect(stub.commands).toHaveLength(1);
  });

  it('keeps one token per region, with one client each', async () => {
    const { stub, regions, source } = sourceAt();
    stub.answers.push('ireland', 'virginia');
    await source.credentials(HOST);
    await source.credentials('210987654321.dkr.ecr.us-east-1.amazonaws.com');
    await source.credentials('999999999999.dkr.ecr.eu-west-1.amazonaws.com');
    expect(regions).toEqual(['eu-west-1', 'us-east-1']);
    expect(stub.commands).toHaveLength(2);
  });

  it('keeps using a token that still holds when its early refresh fails, and fails once it has expired', async () => {
    const { clock, stub, source } = sourceAt();
    stub.answers.push('first', awsError('ThrottlingException'), awsError('ThrottlingException'));
    await source.credentials(HOST);
    clock.now = T0 + 11.5 * HOUR;
    expect(await source.credentials(HOST)).toEqual({ username: 'AWS', password: 'first' });
    clock.now = T0 + 12 * HOUR + 1;
    const error = await source.credentials(HOST).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryUnavailableError);
    expect(failureClassOf(error)).toBe('transient');
    expect((error as Error).message).toBe(
      'ECR GetAuthorizationToken in eu-west-1 failed (ThrottlingException)',
    );
  });

  it('fails terminally when AWS refuses the identity', async () => {
    const { stub, source } = sourceAt();
    stub.answers.push(awsError('AccessDeniedException'));
    const error = await source.credentials(HOST).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryAuthError);
    expect(failureClassOf(error)).toBe('terminal');
    expect((error as RegistryAuthError).data).toEqual({
      host: HOST,
      region: 'eu-west-1',
      awsError: 'AccessDeniedException',
    });
  });

  it('refuses a host that is not ECR', async () => {
    const { stub, source } = sourceAt();
    await expect(source.credentials('ghcr.io')).rejects.toBeInstanceOf(RegistryAccessError);
    expect(stub.commands).toEqual([]);
  });
});

describe('ECR credentials against the registry', () => {
  const password = 'eyJwYXlsb2FkIjoiZWNyLXRva2VuIn0';
  let registry: Awaited<ReturnType<typeof startRegistry>>;

  beforeAll(async () => {
    registry = await startRegistry({ auth: { htpasswd: { users: { AWS: password } } } });
    await registry.pushImage('team/app', '1.0.0');
  });
  afterAll(async () => {
    await registry?.close();
  });

  it('authenticates as Basic AWS:<token>, as ECR expects', async () => {
    const { stub, source } = sourceAt(Date.now());
    stub.answers.push(password);
    const credentials = await source.credentials(HOST);
    const resolved = await new RegistryClient().resolveTag(
      parseImageName(`${registry.host}/team/app`),
      '1.0.0',
      {
        credentials,
        insecure: true,
      },
    );
    expect(resolved).toEqual(await registry.manifest('team/app', '1.0.0'));
    expect(resolved?.mediaType).toBe(OCI_MANIFEST);
  });
});
