import { describe, expect, it } from 'vitest';
import { resolveKind, UnknownKindError } from '../../lib/cli/kinds.ts';
import { parseListen } from '../../lib/cli/serve.ts';
import { formatTable } from '../../lib/cli/table.ts';

describe('kind names', () => {
  it.each([
    ['Kustomization', 'Kustomization'],
    ['kustomizations', 'Kustomization'],
    ['ks', 'Kustomization'],
    ['gitrepo', 'GitRepository'],
    ['gitrepositories', 'GitRepository'],
    ['ImagePolicy', 'ImagePolicy'],
    ['imagepolicies', 'ImagePolicy'],
    ['imageupdate', 'ImageUpdateAutomation'],
    ['alert-providers', 'Provider'],
    ['receivers', 'Receiver'],
  ])('reads %s as %s', (input, kind) => {
    expect(resolveKind(input)).toBe(kind);
  });

  it('names the kinds it knows when it does not know one', () => {
    expect(() => resolveKind('helmrelease')).toThrow(UnknownKindError);
    expect(() => resolveKind('helmrelease')).toThrow(/unknown kind "helmrelease".*Kustomization/);
  });
});

describe('--listen', () => {
  it.each([
    ['127.0.0.1:3030', { host: '127.0.0.1', port: 3030 }],
    ['[::1]:8080', { host: '::1', port: 8080 }],
    [':9000', { host: '0.0.0.0', port: 9000 }],
    ['localhost:0', { host: 'localhost', port: 0 }],
  ])('parses %s', (text, listen) => {
    expect(parseListen(text)).toEqual(listen);
  });

  it.each(['3030', 'host:', 'host:99999', '[::1]'])('rejects %s', (text) => {
    expect(() => parseListen(text)).toThrow(/--listen: expected HOST:PORT/);
  });
});

describe('tables', () => {
  it('aligns columns and leaves no trailing spaces', () => {
    expect(
      formatTable(
        ['NAME', 'READY'],
        [
          ['apps', 'True'],
          ['infrastructure', 'False'],
        ],
      ),
    ).toBe('NAME             READY\napps             True\ninfrastructure   False');
  });
});
