import { describe, expect, it } from 'vitest';
import { createPolicy, type FilterTags, type PolicyChoice, PolicyError } from '../../lib/policy/index.ts';

describe('createPolicy', () => {
  // The examples of Flux's ImagePolicy documentation and its CLI help.
  it.each([
    [
      'semver 5.1.x (podinfo)',
      { semver: { range: '5.1.x' } },
      undefined,
      ['5.0.3', '5.1.0', '5.1.4', '6.0.0', 'latest'],
      '5.1.4',
    ],
    [
      'the latest stable release (>=1.0.0)',
      { semver: { range: '>=1.0.0' } },
      undefined,
      ['0.9.0', '1.4.2', '2.0.0-rc.1', '1.10.0'],
      '1.10.0',
    ],
    [
      'the latest release candidate (.*-rc.*, ^1.x-0)',
      { semver: { range: '^1.x-0' } },
      { pattern: '.*-rc.*' },
      ['1.0.0', '1.1.0-rc.1', '1.1.0-rc.2', '1.1.0', '2.0.0-rc.1'],
      '1.1.0-rc.2',
    ],
    [
      'RELEASE.<timestamp> alphabetically (minio)',
      { alphabetical: { order: 'asc' } },
      { pattern: String.raw`^RELEASE\.(?P<timestamp>.*)Z$`, extract: '$timestamp' },
      [
        'RELEASE.2023-01-31T08-42-01Z',
        'RELEASE.2023-02-09T05-16-53Z',
        'latest',
        'RELEASE.2022-12-12T19-27-27Z',
      ],
      'RELEASE.2023-02-09T05-16-53Z',
    ],
    [
      'the latest main build by timestamp',
      { numerical: { order: 'asc' } },
      { pattern: '^main-[a-f0-9]+-(?P<ts>[0-9]+)', extract: '$ts' },
      ['main-0a1b2c3-1700000300', 'main-9f8e7d6-1700000200', 'feature-1-1800000000', 'latest'],
      'main-0a1b2c3-1700000300',
    ],
  ] as [string, PolicyChoice, FilterTags, string[], string][])(
    '%s',
    (_label, policy, filterTags, tags, expected) => {
      expect(createPolicy(policy, filterTags).latest(tags)).toBe(expected);
    },
  );

  it.each([
    [
      'semver skips a higher tag the pattern drops',
      { semver: { range: '*' } },
      { pattern: String.raw`^v\d` },
      ['v1.2.0', '9.0.0', 'v1.3.0', '10.0.0'],
      'v1.3.0',
    ],
    [
      'semver ranks the version extract finds and returns the whole tag',
      { semver: { range: '>=1.0.0' } },
      { pattern: String.raw`^(?P<v>\d+\.\d+\.\d+)-linux$`, extract: '$v' },
      ['1.2.0-linux', '1.10.0-linux', '1.11.0-windows', 'latest'],
      '1.10.0-linux',
    ],
    [
      'semver of an extract keeps the first of equal versions',
      { semver: { range: '*' } },
      { pattern: String.raw`^(v?\d+\.\d+\.\d+)-(a|b)$`, extract: '$1' },
      ['1.2.3-b', 'v1.2.3-a'],
      '1.2.3-b',
    ],
    [
      'alphabetical desc skips the smallest tag the pattern drops',
      { alphabetical: { order: 'desc' } },
      { pattern: '^b' },
      ['a', 'bz', 'ba', 'c'],
      'ba',
    ],
    [
      'numerical never sees the tags the pattern drops',
      { numerical: { order: 'desc' } },
      { pattern: '^[0-9]+$' },
      ['latest', '30', 'sha-abc', '4'],
      '4',
    ],
    ['no tag matches the pattern', { numerical: { order: 'asc' } }, { pattern: '^x' }, ['1', '2'], undefined],
    [
      'filterTags without a pattern keeps everything',
      { alphabetical: { order: 'asc' } },
      {},
      ['a', 'b'],
      'b',
    ],
    [
      'an empty extract ranks the tags themselves',
      { semver: { range: '*' } },
      { pattern: '', extract: '' },
      ['1.0.0', '2.0.0'],
      '2.0.0',
    ],
  ] as [string, PolicyChoice, FilterTags, string[], string | undefined][])(
    '%s',
    (_label, policy, filterTags, tags, expected) => {
      expect(createPolicy(policy, filterTags).latest(tags)).toBe(expected);
    },
  );

  it('finds the highest tag the pattern keeps whichever order the tags come in', () => {
    const tags = Array.from({ length: 1000 }, (_, i) => `1.0.${i}`);
    const policy = createPolicy({ semver: { range: '*' } }, { pattern: '^1\\.0\\.(0|1|2)$' });
    expect(policy.latest(tags)).toBe('1.0.2');
    expect(policy.latest([...tags].reverse())).toBe('1.0.2');
  });

  it('takes the first choice set, in Flux order, when a spec sets several', () => {
    const policy = createPolicy({ semver: { range: '1.x' }, alphabetical: { order: 'asc' } });
    expect(policy.latest(['1.9.0', 'zzz', '2.0.0'])).toBe('1.9.0');
  });

  it('refuses a spec with no choice', () => {
    expect(() => createPolicy({})).toThrow(PolicyError);
  });
});
