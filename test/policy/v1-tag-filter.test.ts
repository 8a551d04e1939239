import { describe, expect, it } from 'vitest';
import { isV1Semver, PolicyError, v1TagFilter } from '../../lib/policy/index.ts';

describe('Flux v1 tag filter', () => {
  // fluxd's own cases for its tag patterns.
  it.each([
    ['glob *', 'glob:*', ['', '1', 'foo', 'a/b'], []],
    ['glob * without a prefix', '*', ['', '1', 'foo'], []],
    ['a glob prefix', 'master-*', ['master-', 'master-foo', 'master-a/b'], ['', 'foo-master']],
    [
      'a glob in the middle',
      'glob:v*-linux',
      ['v1-linux', 'v-linux', 'v1-linux-linux'],
      ['v1-linux-x', 'v-linu'],
    ],
    ['glob characters other than * are literal', 'glob:v1.?[0]', ['v1.?[0]'], ['v1.2[0]', 'v1x?[0]']],
    ['the whole glob must match', 'glob:a*bc', ['abc', 'axbc'], ['a', 'ab', 'abcx']],
    ['semver *', 'semver:*', ['1', '1.0', 'v1.0.3'], ['', 'latest', '2.0.1-alpha.1']],
    ['semver ~1', 'semver:~1', ['v1', '1', '1.2', '1.2.3'], ['', 'latest', '2.0.0']],
    ['a semver pre-release', 'semver:2.0.1-alpha.1', ['2.0.1-alpha.1'], ['2.0.1']],
    ['regexp (.*?)', 'regexp:(.*?)', ['', '1', 'foo'], []],
    ['an anchored regexp', 'regexp:^([a-zA-Z]+)$', ['foo', 'BAR', 'fooBAR'], ['1', 'foo-1']],
    [
      'regex with \\w',
      String.raw`regex:^\w{7}(?:\w)?$`,
      ['af14eb2', 'bb73ed94', '946427ff'],
      ['1', 'foo', '946427ff-foo'],
    ],
  ])('%s', (_label, expression, matching, notMatching) => {
    const filter = v1TagFilter(expression);
    for (const tag of matching) expect(filter.matches(tag), tag).toBe(true);
    for (const tag of notMatching) expect(filter.matches(tag), tag).toBe(false);
  });

  it.each([
    ['glob:*', false],
    ['*', false],
    ['regexp:.*', false],
    ['glob:lat*', false],
    ['glob:latest', true],
    ['latest', true],
  ])('a tag named latest is a candidate for %s: %s', (expression, expected) => {
    expect(v1TagFilter(expression).matches('latest')).toBe(expected);
    expect(v1TagFilter(expression).matches('LATEST')).toBe(false);
  });

  it('defaults to glob:*', () => {
    expect(v1TagFilter().latest([{ tag: 'a', createdAt: '2020-01-01T00:00:00Z' }, { tag: 'latest' }])).toBe(
      'a',
    );
  });

  it.each([
    [
      'the highest version',
      'semver:~1',
      [{ tag: '1.2.0' }, { tag: '1.10.0' }, { tag: '2.0.0' }, { tag: 'latest' }],
      '1.10.0',
    ],
    [
      'of equal versions the more explicit tag',
      'semver:*',
      [{ tag: '1.10' }, { tag: '1.10.0' }, { tag: '1.9.9' }],
      '1.10.0',
    ],
    [
      'of 1.2.3 and v1.2.3 the one that sorts last',
      'semver:*',
      [{ tag: 'v1.2.3' }, { tag: '1.2.3' }],
      'v1.2.3',
    ],
    [
      'regardless of creation time',
      'semver:*',
      [
        { tag: '2.0.0', createdAt: '2000-01-01T00:00:00Z' },
        { tag: '1.0.0', createdAt: '2024-01-01T00:00:00Z' },
      ],
      '2.0.0',
    ],
    [
      'the newest image for a glob',
      'glob:master-*',
      [
        { tag: 'master-a', createdAt: '2020-01-01T00:00:00Z' },
        { tag: 'master-b', createdAt: '2021-06-01T12:00:00+02:00' },
        { tag: 'release-c', createdAt: '2022-01-01T00:00:00Z' },
      ],
      'master-b',
    ],
    [
      'the newest image for a regex',
      'regex:^[0-9a-f]{7}$',
      [
        { tag: 'abc1234', createdAt: '2021-06-01T10:00:00Z' },
        { tag: 'def5678', createdAt: '2021-06-01T11:00:00Z' },
      ],
      'def5678',
    ],
    [
      'an image without a creation time last',
      'glob:*',
      [{ tag: 'b' }, { tag: 'a', createdAt: '1999-01-01T00:00:00Z' }, { tag: 'c', createdAt: 'not a time' }],
      'a',
    ],
    [
      'of images without times the tag that sorts first',
      'glob:*',
      [{ tag: 'b' }, { tag: 'a' }, { tag: 'c' }],
      'a',
    ],
    [
      'nanoseconds apart',
      'glob:*',
      [
        { tag: 'a', createdAt: '2021-06-01T10:00:00.000000100Z' },
        { tag: 'b', createdAt: '2021-06-01T10:00:00.000000200Z' },
      ],
      'b',
    ],
    [
      'of equal times the tag that sorts first',
      'glob:*',
      [
        { tag: 'y', createdAt: '2021-06-01T10:00:00Z' },
        { tag: 'x', createdAt: '2021-06-01T12:00:00+02:00' },
      ],
      'x',
    ],
    ['nothing when no candidate matches', 'semver:>=3', [{ tag: '1.0.0' }], undefined],
  ])('latest picks %s', (_label, expression, candidates, expected) => {
    expect(v1TagFilter(expression).latest(candidates)).toBe(expected);
  });

  it.each([
    ['semver:~1', true],
    ['semver:*', true],
    ['glob:*', false],
    ['regex:^v', false],
    ['v1.*', false],
  ])('%s ranks by version: %s', (expression, expected) => {
    expect(isV1Semver(expression)).toBe(expected);
  });

  it.each([['semver:>=1.0 <<2'], ['regexp:(a'], ['regex:[z-a]']])(
    'refuses %s as a PolicyError',
    (expression) => {
      expect(() => v1TagFilter(expression)).toThrow(PolicyError);
    },
  );
});
