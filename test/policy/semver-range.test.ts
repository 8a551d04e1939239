import { describe, expect, it } from 'vitest';
import { PolicyError } from '../../lib/policy/policy-error.ts';
import { type PrereleaseRule, parseSemverRange } from '../../lib/policy/semver-range.ts';
import { parseLooseVersion } from '../../lib/policy/semver-version.ts';

/** Versions here are read loosely (`1.4` is 1.4.0), as Masterminds' own constraint tests read them. */
function satisfies(range: string, version: string, rule: PrereleaseRule = 'group'): boolean {
  const parsed = parseLooseVersion(version);
  if (parsed === undefined) throw new Error(`test version ${version} does not parse`);
  return parseSemverRange(range, rule).test(parsed);
}

describe('semver range', () => {
  // Cases from the constraint library Flux uses (Masterminds/semver v3), each decided as it decides.
  it.each([
    ['=2.0.0', '1.2.3', false],
    ['=2.0.0', '2.0.0', true],
    ['=2.0', '2.0.1', true],
    ['4.1', '4.1.0', true],
    ['!=4.1.0', '4.1.0', false],
    ['!=4.1.0', '4.1.1', true],
    ['!=4.1', '4.1.1', false],
    ['!=4.1', '5.1.0', true],
    ['!=4.x', '4.1.0', false],
    ['!=4.1.x', '4.2.0', true],
    ['<11', '11.1.0', false],
    ['<1.1', '1.1.1', false],
    ['<=11', '11.2.3', true],
    ['<=1.1', '1.1.1', true],
    ['<=1.1', '1.2.3', false],
    ['<=4.5', '4.6.3', false],
    ['<=1.1.x', '1.2.500', false],
    ['>1.1', '1.1.0', false],
    ['>11', '11.1.0', false],
    ['>11.1', '11.1.1', false],
    ['>11.1', '11.2.1', true],
    ['>=11.1', '11.0.2', false],
    ['>0', '0', false],
    ['>0', '1', true],
    ['*', '4.5.6', true],
    ['2.*', '3.4.5', false],
    ['2.1.*', '2.1.1', true],
    ['2', '2.1.1', true],
    ['~1.2.3', '1.3.4', false],
    ['~1', '1.2.4', true],
    ['~1', '2.3.4', false],
    ['~0.2.3', '0.2.5', true],
    ['~*', '2.1.1', true],
    ['~0.0.0', '1.2.3', true],
    ['^1.2.3', '1.2.1', false],
    ['^1.2.3', '2.8.9', false],
    ['^0.2.3', '0.5.6', false],
    ['^0.0.3', '0.0.4', false],
    ['^0.0', '0.1.4', false],
    ['^0', '0.2.3', true],
    ['^0', '1.1.4', false],
    ['^0.0.0', '1.2.3', false],
    ['^1.x', '2.1.1', false],
    ['0.x.x', '1.2.3', false],
    ['<1.x', '0.1.1', true],
    ['<1.1.x', '1.1.500', false],
    ['<=2.x', '3.0.0', false],
    ['>1.1, <2', '1.2.1', true],
    ['>1.1    <3', '4.3.2', false],
    ['>= 1.1, <     2, !=1.2.3', '1.2.3', false],
    ['>=1.1, <2, !=1.2.3 || > 3', '4.1.2', true],
    ['>=1.1 <2 !=1.2.3 || >= 3', '3.0.0', true],
    ['>=1.1 <2 !=1.2.3 || > 3', '3.0.0', false],
    ['1.1 - 2', '1.1.1', true],
    ['1.5.0 - 4.5', '4.5.9', true],
    ['1.5.0 - 4.5', '4.6.0', false],
    ['1.1-3', '4.3.2', false],
    ['=> 1.2', '1.2.0', true],
    ['=< 1.2', '1.2.7', true],
    ['~> 1.2', '1.2.7', true],
    ['v1.2', '1.2.7', true],
  ])('%s accepts %s: %s', (range, version, expected) => {
    expect(satisfies(range, version)).toBe(expected);
  });

  it.each([
    ['a release-only range ignores pre-releases', '>=1.0.0', '1.5.0-rc.1', false],
    ['* ignores pre-releases', '*', '1.2.3-alpha.1', false],
    ['*-0 takes them', '*-0', '1.2.3-alpha.1', true],
    ['a -0 lower bound takes them', '>=1.0.0-0', '3.4.5-beta.1', true],
    ['below the lower bound stays out', '>=1.2.0-0', '1.1.9-rc.1', false],
    ['the upper bound of the same group takes them too', '>=1.0.0-0 <2.0.0', '2.0.0-rc.1', true],
    ['another OR group does not', '>=1.0.0-0 <1.5.0 || >=2.0.0', '2.1.0-rc.1', false],
    ['^1.x-0 (Flux docs) takes a later minor', '^1.x-0', '1.7.0-rc.2', true],
    ['^1.x-0 keeps the major', '^1.x-0', '2.0.0-rc.1', false],
    ['a pre-release bound on a later patch', '~1.2.3-beta.2', '1.2.4-beta.2', true],
    ['a tilde pre-release bound keeps the minor', '~1.2.3-beta.2', '1.3.4-beta.2', false],
    ['pre-releases order by identifier', '>1.2.3-alpha.1', '1.2.3-alpha.2', true],
    ['numbers sort below words', '>1.2.3-1', '1.2.3-alpha', true],
    ['more identifiers sort higher', '>1.2.3-alpha', '1.2.3-alpha.1', true],
  ])('pre-releases: %s', (_label, range, version, expected) => {
    expect(satisfies(range, version)).toBe(expected);
  });

  it.each([
    ['the naming comparator takes them', '>=1.0.0-0', '1.5.0-rc.1', true],
    ['a sibling comparator does not', '>=1.0.0-0 <2.0.0', '1.5.0-rc.1', false],
    ['!= without a wildcard lets them through', '!=1.2.3', '1.2.4-rc.1', true],
  ])('fluxd comparator rule: %s', (_label, range, version, expected) => {
    expect(satisfies(range, version, 'comparator')).toBe(expected);
  });

  it.each([
    ['>=1.0.0', 'group', false],
    ['>=1.0.0-0', 'group', true],
    ['1.x || >=2.0.0-0', 'group', true],
    ['!=1.2.3', 'comparator', true],
    ['!=1.x', 'comparator', false],
    ['>=1.0.0-0 <2.0.0', 'comparator', true],
  ] as const)('%s (%s rule) may take pre-releases: %s', (range, rule, expected) => {
    expect(parseSemverRange(range, rule).prereleases).toBe(expected);
  });

  it.each([
    ['a part with a letter', '1.0.0p'],
    ['a digit and an x', '1x'],
    ['an x and a digit', 'x1'],
    ['a leading minus', '-1'],
    ['a word', 'a'],
    ['nothing', ''],
    ['four parts', '12.3.4.1234'],
    ['an operator glued to the previous version', '12.3.34~ 1.2.3'],
    ['a doubled operator', '>=1.0 <<2'],
    ['an empty OR branch', '1.x ||'],
    ['a pipe inside a part', '1|2.0'],
    ['a pre-release number with a leading zero', '>=1.0.0-01'],
    ['a part past uint64', '>=18446744073709551616'],
  ])('refuses %s as a PolicyError naming the range', (_label, range) => {
    const error = (() => {
      try {
        parseSemverRange(range);
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(PolicyError);
    expect((error as PolicyError).message).toContain(JSON.stringify(range));
    expect((error as PolicyError).data).toMatchObject({ range });
    expect((error as PolicyError).failure).toBe('terminal');
  });

  it.each([
    ['x-ranges', '1.0.x'],
    ['a caret', '^1.0'],
    ['an equality', '=1.0.0'],
    ['a tilde', '~1.0'],
    ['a lower bound', '>=1.0'],
    ['comma-separated bounds', '>0,<2.0'],
    ['spaces inside comparators', '>= 1.2.3 < 2.0 || => 3.0 < 4'],
    ['hyphen ranges beside comparators', '3 - 4 || => 3.0, < 4'],
    ['a v and build metadata', 'v2.3.5-20161202202307-sha.e8fc5e5'],
    ['tabs and newlines as spaces', '>=1.0\t<2.0\n'],
    ['a part past 2^53', '>=9007199254740993.0.0'],
  ])('accepts %s', (_label, range) => {
    expect(() => parseSemverRange(range)).not.toThrow();
  });

  it('compares parts past 2^53 exactly', () => {
    const range = parseSemverRange('>9007199254740992.0.0');
    expect(range.test(parseLooseVersion('9007199254740993.0.0')!)).toBe(true);
    expect(range.test(parseLooseVersion('9007199254740992.0.0')!)).toBe(false);
  });
});
