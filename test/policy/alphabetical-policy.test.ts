import { describe, expect, it } from 'vitest';
import { createPolicy } from '../../lib/policy/index.ts';

const latest = (order: 'asc' | 'desc', tags: readonly string[]) =>
  createPolicy({ alphabetical: { order } }).latest(tags);

describe('alphabetical policy', () => {
  it.each([
    ['asc picks the last in ascending order', 'asc', ['xenial', 'zesty', 'artful', 'bionic'], 'zesty'],
    ['desc picks the first in ascending order', 'desc', ['xenial', 'zesty', 'artful', 'bionic'], 'artful'],
    [
      'asc over timestamps',
      'asc',
      ['RELEASE.2023-01-31T08-42-01Z', 'RELEASE.2023-02-09T05-16-53Z'],
      'RELEASE.2023-02-09T05-16-53Z',
    ],
    ['upper case sorts before lower case', 'asc', ['a', 'B', 'Z'], 'a'],
    ['digits sort before letters', 'desc', ['a1', '9z', 'A'], '9z'],
    ['a prefix sorts first', 'asc', ['v1', 'v1.0', 'v'], 'v1.0'],
    ['the order is bytes, not numbers', 'asc', ['9', '10', '100'], '9'],
    ['a single tag', 'desc', ['only'], 'only'],
    ['no tags', 'asc', [], undefined],
  ] as const)('%s', (_label, order, tags, expected) => {
    expect(latest(order, tags)).toBe(expected);
  });

  it('orders by code point as Go does, not by UTF-16 unit', () => {
    // U+FF5E sorts below U+1F600 by code point, above its surrogates by UTF-16 unit.
    expect(latest('asc', ['\u{ff5e}', '\u{1f600}'])).toBe('\u{1f600}');
    expect(latest('desc', ['\u{1f600}', '\u{ff5e}'])).toBe('\u{ff5e}');
  });

  it.each([['ASC'], ['Desc'], ['']])('accepts the order %j in any case, as Flux upper-cases it', (order) => {
    expect(() => createPolicy({ alphabetical: { order: order as 'asc' } })).not.toThrow();
  });

  it('refuses an unknown order', () => {
    expect(() => createPolicy({ alphabetical: { order: 'sideways' as 'asc' } })).toThrow(
      /invalid order "sideways"/,
    );
  });
});
