import { describe, expect, it } from 'vitest';
import { parseAuthChallenges, pickAuthChallenge } from '../../lib/registry/index.ts';

describe('WWW-Authenticate challenges', () => {
  it.each([
    [
      'Docker Hub',
      'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull"',
      [
        {
          scheme: 'bearer',
          params: {
            realm: 'https://auth.docker.io/token',
            service: 'registry.docker.io',
            scope: 'repository:library/nginx:pull',
          },
        },
      ],
    ],
    [
      'a scope with several actions',
      'Bearer realm="https://ghcr.io/token",scope="repository:team/app:pull,push",service="ghcr.io"',
      [
        {
          scheme: 'bearer',
          params: {
            realm: 'https://ghcr.io/token',
            scope: 'repository:team/app:pull,push',
            service: 'ghcr.io',
          },
        },
      ],
    ],
    ['Basic', 'Basic realm="Registry Realm"', [{ scheme: 'basic', params: { realm: 'Registry Realm' } }]],
    [
      'spaces, case and unquoted values',
      'BASIC  Realm = registry , charset="UTF-8"',
      [{ scheme: 'basic', params: { realm: 'registry', charset: 'UTF-8' } }],
    ],
    ['an escaped quote', 'Basic realm="say \\"hi\\""', [{ scheme: 'basic', params: { realm: 'say "hi"' } }]],
    [
      'two challenges in one header',
      'Basic realm="r1", Bearer realm="https://auth.example/token",service="s"',
      [
        { scheme: 'basic', params: { realm: 'r1' } },
        { scheme: 'bearer', params: { realm: 'https://auth.example/token', service: 's' } },
      ],
    ],
    ['a token68 scheme', 'Negotiate abc==', [{ scheme: 'negotiate', params: { abc: '' } }]],
    ['nothing', '', []],
  ])('reads %s', (_, header, expected) => {
    expect(parseAuthChallenges(header)).toEqual(expected);
  });

  it.each([
    ['Bearer before Basic', 'Basic realm="r", Bearer realm="https://a/t"', 'bearer'],
    ['Basic when it is all there is', 'Basic realm="r"', 'basic'],
    ['not a Bearer without a realm', 'Bearer service="s"', undefined],
    ['nothing for an unknown scheme', 'Negotiate', undefined],
    ['nothing for no header', null, undefined],
  ])('picks %s', (_, header, scheme) => {
    expect(pickAuthChallenge(header)?.scheme).toBe(scheme);
  });
});
