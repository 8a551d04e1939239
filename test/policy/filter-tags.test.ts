import { describe, expect, it } from 'vitest';
import { compileTagFilter, literalPrefix } from '../../lib/policy/filter-tags.ts';
import { createPolicy, PolicyError } from '../../lib/policy/index.ts';

const values = (pattern: string | undefined, extract: string | undefined, tags: readonly string[]) => [
  ...compileTagFilter({ pattern, extract }).apply(tags),
];

describe('filterTags', () => {
  // Flux's own cases for its tag filter.
  it.each([
    ['no pattern keeps every tag', undefined, undefined, ['a'], [['a', 'a']]],
    [
      'a pattern keeps the tags it matches',
      '^ver',
      undefined,
      ['ver1', 'ver2', 'ver3', 'rel1'],
      [
        ['ver1', 'ver1'],
        ['ver2', 'ver2'],
        ['ver3', 'ver3'],
      ],
    ],
    [
      'a capture group extracts',
      String.raw`ver(\d+)`,
      '$1',
      ['ver1', 'ver2', 'rel1'],
      [
        ['1', 'ver1'],
        ['2', 'ver2'],
      ],
    ],
  ] as const)('%s', (_label, pattern, extract, tags, expected) => {
    expect(values(pattern, extract, tags)).toEqual(expected);
  });

  it.each([
    ['a named group', '$ts', 'ts-42', '42'],
    ['a braced name', `\${ts}-x`, 'ts-42', '42-x'],
    ['a group number', '$1$2', 'ts-42', 'ts42'],
    ['text around references', `v$1.\${ts}`, 'ts-42', 'vts.42'],
    ['$$ as a dollar', '$$1', 'ts-42', '$1'],
    ['a name runs as far as letters, digits and _ go', '$1x', 'ts-42', ''],
    ['a missing name expands to nothing', '[$nope]', 'ts-42', '[]'],
    ['a group number past the last group expands to nothing', '[$9]', 'ts-42', '[]'],
    ['a group that did not take part expands to nothing', '[$opt]', 'ts-42', '[]'],
    ['a leading zero makes a name, not a number', '[$01]', 'ts-42', '[]'],
    ['a lone dollar stays', 'a$', 'ts-42', 'a$'],
    ['a dollar before punctuation stays', '$-$1', 'ts-42', '$-ts'],
    ['an unclosed brace stays', `\${ts`, 'ts-42', `\${ts`],
    ['an empty brace stays', `\${}`, 'ts-42', `\${}`],
    ['no reference at all', 'fixed', 'ts-42', 'fixed'],
  ])('expands %s like Go', (_label, extract, tag, expected) => {
    expect(values(String.raw`^([a-z]+)-(?P<ts>\d+)(?P<opt>!)?$`, extract, [tag])).toEqual([[expected, tag]]);
  });

  it('maps a value several tags extract to the last of them', () => {
    expect(values(String.raw`^build-(\d+)-`, '$1', ['build-7-a', 'build-7-b', 'build-8-a'])).toEqual([
      ['7', 'build-7-b'],
      ['8', 'build-8-a'],
    ]);
  });

  it('matches anywhere in the tag unless anchored', () => {
    expect(values('rc', undefined, ['1.0.0-rc.1', '1.0.0', 'rc'])).toEqual([
      ['1.0.0-rc.1', '1.0.0-rc.1'],
      ['rc', 'rc'],
    ]);
  });

  it('takes the leftmost-first match, as Go does', () => {
    expect(values('(a|ab)(c|bcd)', '$1/$2', ['abcd'])).toEqual([['a/bcd', 'abcd']]);
  });

  it.each([
    ['an unclosed group', '(a'],
    ['a look-ahead (not RE2)', '(?=a)b'],
    ['a back-reference (not RE2)', String.raw`(a)\1`],
    ['a repeated group name', '(?P<a>x)(?P<a>y)'],
  ])('refuses %s as a PolicyError naming the pattern', (_label, pattern) => {
    let error: unknown;
    try {
      createPolicy({ alphabetical: { order: 'asc' } }, { pattern });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(PolicyError);
    expect((error as PolicyError).message).toContain(JSON.stringify(pattern));
    expect((error as PolicyError).data).toEqual({ pattern });
  });

  it('returns from a catastrophic-backtracking pattern on a long tag', () => {
    const tag = `${'a'.repeat(30_000)}!`;
    const policy = createPolicy({ alphabetical: { order: 'asc' } }, { pattern: '(a+)+$', extract: '$1' });
    expect(policy.latest([tag, 'aaa'])).toBe('aaa');
    expect(
      createPolicy({ alphabetical: { order: 'asc' } }, { pattern: '^(a|a)*$' }).latest([tag]),
    ).toBeUndefined();
  });
});

describe('the literal prefix a pattern demands', () => {
  it.each([
    ['^v', 'v'],
    [String.raw`^RELEASE\.(?P<timestamp>.*)Z$`, 'RELEASE.'],
    ['^main-[a-f0-9]+-(?P<ts>[0-9]+)', 'main-'],
    [String.raw`^sha256-\w+\.sig$`, 'sha256-'],
    ['^abc', 'abc'],
    ['^ab*c', 'a'],
    ['^ab+', 'a'],
    ['^ab?', 'a'],
    ['^ab{2}', 'a'],
    [String.raw`^a\.b\-c`, 'a.b-c'],
    [String.raw`^a\d`, 'a'],
    ['^a.b', 'a'],
    ['^(v)1', ''],
    ['^[v]1', ''],
    ['^v1|^v2', ''],
    ['^(a|b)c', ''],
    ['v1', ''],
    ['(?i)^v1', ''],
    ['^', ''],
    ['', ''],
  ])('%s begins every match with %j', (pattern, prefix) => {
    expect(literalPrefix(pattern)).toBe(prefix);
  });
});
