import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { createPolicy } from '../../lib/policy/index.ts';

const latest = (range: string, tags: readonly string[]) => createPolicy({ semver: { range } }).latest(tags);

/** A small deterministic generator (mulberry32), so the cross-check covers the same cases every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('semver policy', () => {
  // Flux's own cases for its semver policy.
  it.each([
    [
      'skips four-part and lettered tags',
      '1.0.x',
      ['1.0.0', '1.0.0.1', '1.0.0p', '1.0.1', '1.2.0', '0.1.0'],
      '1.0.1',
    ],
    ['keeps the v of the winning tag', '1.0.x', ['v1.2.3', 'v1.0.0', 'v0.1.0'], 'v1.0.0'],
    ['finds nothing among other prefixes', '1.0.x', ['b1.2.3', 'b1.0.0', 'b0.1.0'], undefined],
    ['finds nothing in an empty list', '1.0.x', [], undefined],
    ['finds nothing outside the range', '1.0.x', ['1.2.0'], undefined],
  ])('%s', (_label, range, tags, expected) => {
    expect(latest(range, tags)).toBe(expected);
  });

  it.each([
    ['two parts', '1.2', false],
    ['one part', '1', false],
    ['four parts', '1.2.3.4', false],
    ['a word', 'latest', false],
    ['a leading zero', '01.2.3', false],
    ['a leading zero in the patch', '1.2.03', false],
    ['two vs', 'vv1.2.3', false],
    ['a capital V', 'V1.2.3', false],
    ['an empty pre-release', '1.2.3-', false],
    ['an empty build', '1.2.3+', false],
    ['a pre-release number with a leading zero', '1.2.3-rc.01', false],
    ['a part past uint64', '18446744073709551616.0.0', false],
    ['a plain version', '1.2.3', true],
    ['a v', 'v1.2.3', true],
    ['build metadata', '1.2.3+build.7', true],
    ['a pre-release and build metadata', '1.2.3-rc.1+build-7', true],
    ['a zero pre-release', '1.2.3-0', true],
    ['a part at uint64 max', '18446744073709551615.0.0', true],
  ])('a tag with %s is a version: %s', (_label, tag, isVersion) => {
    expect(latest('*-0', [tag])).toBe(isVersion ? tag : undefined);
  });

  it.each([
    ['ignores pre-releases unless the range names one', '>=1.0.0', ['1.0.0', '1.1.0-rc.1'], '1.0.0'],
    ['takes them with a -0 lower bound', '>=1.0.0-0', ['1.0.0', '1.1.0-rc.1'], '1.1.0-rc.1'],
    ['prefers the release over its own pre-release', '>=1.0.0-0', ['1.1.0-rc.1', '1.1.0'], '1.1.0'],
    [
      'orders pre-releases numerically',
      '>=1.0.0-0',
      ['1.1.0-rc.2', '1.1.0-rc.10', '1.1.0-rc.9'],
      '1.1.0-rc.10',
    ],
  ])('%s', (_label, range, tags, expected) => {
    expect(latest(range, tags)).toBe(expected);
  });

  it.each([
    ['1.2.3 then v1.2.3', ['1.2.3', 'v1.2.3'], '1.2.3'],
    ['v1.2.3 then 1.2.3', ['v1.2.3', '1.2.3'], 'v1.2.3'],
    ['two builds of one version', ['1.2.3+b', '1.2.3+a'], '1.2.3+b'],
  ])('of equal versions keeps the first it meets (%s)', (_label, tags, expected) => {
    expect(latest('1.x', tags)).toBe(expected);
  });

  it.each([
    ['the filter takes the best', ['1.0.0', 'v2.0.0', '2.0.0'], '^v', 'v2.0.0'],
    ['of equal versions the first the filter takes', ['2.0.0', 'v2.0.0', 'v2.0.0+b'], '^v', 'v2.0.0'],
    ['of equal versions the first when the filter takes all', ['v2.0.0', '2.0.0'], '', 'v2.0.0'],
    [
      'the filter turns down the twenty best',
      [...Array.from({ length: 20 }, (_, i) => `3.${i}.0`), 'v1.0.0', 'v2.0.0'],
      '^v',
      'v2.0.0',
    ],
    [
      'the same, best first',
      [...Array.from({ length: 20 }, (_, i) => `3.${19 - i}.0`), 'v2.0.0', 'v1.0.0'],
      '^v',
      'v2.0.0',
    ],
    ['the filter turns down everything', ['1.0.0', '2.0.0'], '^v', undefined],
  ])('with a filter, picks %s', (_label, tags, pattern, expected) => {
    expect(createPolicy({ semver: { range: '*' } }, { pattern }).latest(tags)).toBe(expected);
  });

  it('orders parts past 2^53 exactly', () => {
    expect(latest('*', ['9007199254740993.0.0', '9007199254740992.0.0'])).toBe('9007199254740993.0.0');
    expect(latest('*', ['1.9007199254740992.0', '1.9007199254740993.0'])).toBe('1.9007199254740993.0');
  });

  // Where the grammar Flux uses departs from npm's (the `semver` package): ferry answers as Flux.
  it.each([
    ['a comma means AND', '>=1.0,<2.0', ['1.5.0', '2.0.0'], '1.5.0', null],
    ['`1.2` alone is any 1.2.x', '1.2', ['1.2.0', '1.2.9', '1.3.0'], '1.2.9', '1.2.9'],
    ['`~0.0.0` is anything', '~0.0.0', ['0.0.5', '3.0.0'], '3.0.0', '0.0.5'],
    ['`>*` is anything but 0.0.0', '>*', ['0.0.0', '1.0.0'], '1.0.0', null],
    ['`<=*` stops below 0.1.0', '<=*', ['0.0.9', '0.1.0', '2.0.0'], '0.0.9', '2.0.0'],
    ['`^*` is only 0.0.0', '^*', ['0.0.0', '1.0.0'], '0.0.0', '1.0.0'],
    ['`!=` excludes', '!=2.0.0', ['1.0.0', '2.0.0'], '1.0.0', null],
    [
      'a -0 bound takes pre-releases of any version',
      '>=1.0.0-0 <3.0.0',
      ['2.5.0-rc.1', '2.4.0'],
      '2.5.0-rc.1',
      '2.4.0',
    ],
    [
      'a pre-release bound reaches a later patch',
      '~1.2.3-beta.2',
      ['1.2.4-beta.2', '1.2.3'],
      '1.2.4-beta.2',
      '1.2.3',
    ],
  ])('departs from npm where %s', (_label, range, tags, ferry, npm) => {
    expect(latest(range, tags)).toBe(ferry);
    const valid = semver.validRange(range) !== null;
    expect(valid ? semver.maxSatisfying(tags, range) : null).toBe(npm);
  });

  // Thousands of generated tags and ranges, written in the part of the grammar both libraries read the
  // same way (release bounds, no `!=`, no bare `*` tricks); both must pick the same tag, pre-releases
  // and non-version tags among the candidates included.
  it('agrees with semver.maxSatisfying wherever the two grammars agree', () => {
    const next = random(20240611);
    const int = (n: number) => Math.floor(next() * n);
    const pick = <T>(items: readonly T[]) => items[int(items.length)]!;
    const part = () => String(pick([0, 0, 1, 1, 2, 3, 5, 10, 12, 20]));
    const version = () => `${part()}.${part()}.${part()}`;
    const partial = () =>
      pick([`${part()}`, `${part()}.${part()}`, version(), `${part()}.x`, `${part()}.${part()}.x`]);
    const comparator = () =>
      pick([
        () => `${pick(['>=', '>', '<', '<=', '= ', '>= '])}${partial()}`,
        () => `~${partial()}`,
        () => `^${pick([version(), `${part()}.${part()}`, `${Number(part()) + 1}`])}`,
        () => partial(),
        () => `${version()} - ${partial()}`,
      ])();
    const group = () => Array.from({ length: 1 + int(2) }, comparator).join(' ');
    const range = () => Array.from({ length: 1 + int(2) }, group).join(' || ');
    const tag = () =>
      pick([
        () => version(),
        () => `v${version()}`,
        () => `${version()}-rc.${int(4)}`,
        () => `${version()}+build.${int(9)}`,
        () => `main-${int(1e6).toString(16)}`,
        () => 'latest',
        () => `${part()}.${part()}`,
      ])();

    let compared = 0;
    let decided = 0;
    for (let i = 0; i < 2000; i++) {
      const text = range();
      if (semver.validRange(text) === null || /(^|\s|~|\^)0\.0\.0(\s|$)/.test(text)) continue;
      const tags = Array.from({ length: 1 + int(40) }, tag);
      const expected = semver.maxSatisfying(tags, text);
      expect(latest(text, tags), `${text} over ${tags.join(' ')}`).toBe(expected ?? undefined);
      compared++;
      if (expected !== null) decided++;
    }
    expect(compared).toBeGreaterThan(1500);
    expect(decided).toBeGreaterThan(500);
  });
});
