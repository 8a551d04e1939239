import { describe, expect, it } from 'vitest';
import { parseGoFloat } from '../../lib/policy/go-parse-float.ts';
import { createPolicy, PolicyError } from '../../lib/policy/index.ts';

const latest = (order: 'asc' | 'desc', tags: readonly string[]) =>
  createPolicy({ numerical: { order } }).latest(tags);

describe('numerical policy', () => {
  // Flux's own cases for its numerical policy.
  it.each([
    ['integers ascending', 'asc', ['-62', '-88', '73', '72', '15', '16', '15', '29', '-33', '-91'], '73'],
    ['integers descending', 'desc', ['5', '-8', '-78', '25', '70', '-4', '80', '92', '-20', '-24'], '-78'],
    [
      'floats ascending',
      'asc',
      ['47.40896403322944', '-27.8520927455902', '53.47333823144817', '3.2008658570411086'],
      '53.47333823144817',
    ],
    [
      'floats descending',
      'desc',
      ['-65.27202780220686', '57.82948329142309', '-90.29082099756083'],
      '-90.29082099756083',
    ],
    [
      'unix timestamps ascending',
      'asc',
      ['1606234201', '1606364286', '1606334092', '1606334284'],
      '1606364286',
    ],
    [
      'unix timestamps descending',
      'desc',
      ['1606234201', '1606364286', '1606334092', '1606334284'],
      '1606234201',
    ],
    ['a single value', 'desc', ['1'], '1'],
    ['no tags', 'asc', [], undefined],
    ['exponents', 'asc', ['1e3', '999', '2.5E2'], '1e3'],
    ['hexadecimal floats', 'asc', ['0x1p4', '15'], '0x1p4'],
    ['equal numbers: the last one listed wins', 'asc', ['1', '1.0', '0'], '1.0'],
    ['equal numbers descending: the last one listed wins', 'desc', ['1.0', '1', '2'], '1'],
  ] as const)('%s', (_label, order, tags, expected) => {
    expect(latest(order, tags)).toBe(expected);
  });

  it('fails the whole policy on a tag that is not a number, naming it and pointing at filterTags', () => {
    const policy = createPolicy({ numerical: { order: 'asc' } });
    let error: unknown;
    try {
      policy.latest(['0', '1a', 'b']);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(PolicyError);
    expect((error as PolicyError).message).toMatch(/^failed to parse invalid numeric value '1a'/);
    expect((error as PolicyError).message).toContain('filterTags');
    expect((error as PolicyError).data).toEqual({ tag: '1a' });
    expect((error as PolicyError).failure).toBe('terminal');
  });

  it('ranks the numbers filterTags extracts and returns their tags', () => {
    const policy = createPolicy(
      { numerical: { order: 'asc' } },
      { pattern: '^main-[a-f0-9]+-(?P<ts>[0-9]+)', extract: '$ts' },
    );
    expect(policy.latest(['main-abc1234-1700000100', 'latest', 'main-def5678-1700000900', 'v1.2.3'])).toBe(
      'main-def5678-1700000900',
    );
  });
});

describe("Go's ParseFloat", () => {
  it.each([
    ['42', 42],
    ['-7', -7],
    ['+7', 7],
    ['1.5', 1.5],
    ['.5', 0.5],
    ['5.', 5],
    ['1e3', 1000],
    ['1E-2', 0.01],
    ['1_000', 1000],
    ['1_23.50_0_0e+1_2', 1.235e14],
    ['0x1p-2', 0.25],
    ['0X1.8P1', 3],
    ['0x_1_2.3_4_5p+1_2', 74565],
    ['1e-400', 0],
    ['inf', Number.POSITIVE_INFINITY],
    ['+Inf', Number.POSITIVE_INFINITY],
    ['-Infinity', Number.NEGATIVE_INFINITY],
    ['NaN', Number.NaN],
    ['007', 7],
  ])('reads %s', (text, value) => {
    expect(parseGoFloat(text)).toBe(value);
  });

  it.each([
    [''],
    [' 1'],
    ['1 '],
    ['1a'],
    ['latest'],
    ['1.2.3'],
    ['0x1'],
    ['0x'],
    ['1e'],
    ['1e+'],
    ['_1'],
    ['1__0'],
    ['1_'],
    ['1_.5'],
    ['1._5'],
    ['1e_2'],
    ['-_1'],
    ['+nan'],
    ['infin'],
    ['1e400'],
    ['0x1p99999'],
    ['0b101'],
    ['1..2'],
  ])('refuses %j', (text) => {
    expect(parseGoFloat(text)).toBeUndefined();
  });
});
