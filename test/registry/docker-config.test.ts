import { describe, expect, it } from 'vitest';
import { failureClassOf } from '../../lib/errors.ts';
import { credentialsFromDockerConfig, RegistryAccessError } from '../../lib/registry/index.ts';

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const config = (auths: unknown) => ({ '.dockerconfigjson': JSON.stringify({ auths }) });
const hub = { username: 'hubuser', password: 'hub-pass' };
const ghcr = { username: 'gh', password: 'gh:pass:with:colons' };

describe('credentials from a dockerconfigjson Secret', () => {
  it.each([
    [
      'an "auth" of base64 user:password',
      { 'ghcr.io': { auth: b64('gh:gh:pass:with:colons') } },
      'ghcr.io',
      ghcr,
    ],
    [
      'username and password fields',
      { 'ghcr.io': { username: 'gh', password: ghcr.password } },
      'ghcr.io',
      ghcr,
    ],
    ['a key with a scheme', { 'https://ghcr.io': { auth: b64('gh:gh:pass:with:colons') } }, 'ghcr.io', ghcr],
    ['a key with a path', { 'ghcr.io/team': { auth: b64('gh:gh:pass:with:colons') } }, 'ghcr.io', ghcr],
    ['a key in upper case', { 'GHCR.IO': { auth: b64('gh:gh:pass:with:colons') } }, 'ghcr.io', ghcr],
    [
      "Docker Hub's legacy key",
      { 'https://index.docker.io/v1/': { auth: b64('hubuser:hub-pass') } },
      'docker.io',
      hub,
    ],
    ['Docker Hub keyed as docker.io', { 'docker.io': { auth: b64('hubuser:hub-pass') } }, 'docker.io', hub],
    [
      'Docker Hub asked for by its API host',
      { 'https://index.docker.io/v1/': { auth: b64('hubuser:hub-pass') } },
      'registry-1.docker.io',
      hub,
    ],
    [
      'a host with a port',
      { 'registry.local:5000': { username: 'u', password: 'p' } },
      'registry.local:5000',
      { username: 'u', password: 'p' },
    ],
    [
      'a wildcard for one label',
      { '*.azurecr.io': { username: 'u', password: 'p' } },
      'team.azurecr.io',
      { username: 'u', password: 'p' },
    ],
    [
      'an exact key before a wildcard',
      {
        '*.azurecr.io': { username: 'w', password: 'w' },
        'team.azurecr.io': { username: 'e', password: 'e' },
      },
      'team.azurecr.io',
      { username: 'e', password: 'e' },
    ],
    ['nothing for another host', { 'ghcr.io': { auth: b64('a:b') } }, 'quay.io', undefined],
    [
      'nothing for another port',
      { 'registry.local:5000': { auth: b64('a:b') } },
      'registry.local',
      undefined,
    ],
    [
      'nothing for a wildcard over two labels',
      { '*.azurecr.io': { auth: b64('a:b') } },
      'a.b.azurecr.io',
      undefined,
    ],
  ])('reads %s', (_, auths, registry, expected) => {
    expect(credentialsFromDockerConfig(config(auths), registry)).toEqual(expected);
  });

  it.each([
    ['no .dockerconfigjson key', { '.dockercfg': '{}' }, 'has no .dockerconfigjson key'],
    [
      'a value that is not JSON',
      { '.dockerconfigjson': '{"auths": {"ghcr.io": {"password": "leak-me"' },
      'is not JSON',
    ],
    ['no auths', { '.dockerconfigjson': '{"credHelpers": {}}' }, 'without an "auths" object'],
    [
      'an auth without a colon',
      config({ 'ghcr.io': { auth: b64('leak-me') } }),
      'not base64 of user:password',
    ],
    [
      'an entry without credentials',
      config({ 'ghcr.io': { identitytoken: 'leak-me' } }),
      'neither "auth" nor',
    ],
  ])('fails terminally on %s, without quoting it', (_, values, message) => {
    let error: unknown;
    try {
      credentialsFromDockerConfig(values, 'ghcr.io');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RegistryAccessError);
    expect(failureClassOf(error)).toBe('terminal');
    expect((error as Error).message).toContain(message);
    expect(
      JSON.stringify({ m: (error as Error).message, d: (error as RegistryAccessError).data }),
    ).not.toContain('leak-me');
    expect((error as Error).cause).toBeUndefined();
  });
});
