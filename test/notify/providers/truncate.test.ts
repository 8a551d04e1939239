import { describe, expect, it } from 'vitest';
import { TRUNCATION_MARKER, truncate } from '../../../lib/notify/truncate.ts';

describe('truncate', () => {
  it.each([
    ['fits', 'hello', 5, 'hello'],
    ['one over', 'hello!', 5, 'hell…'],
    [
      'marker kept within the limit',
      'x'.repeat(100),
      20,
      `${'x'.repeat(20 - TRUNCATION_MARKER.length)}${TRUNCATION_MARKER}`,
    ],
    [
      'surrogate pair never split',
      `${'x'.repeat(6)}${'😀'.repeat(10)}`,
      20,
      `${'x'.repeat(6)}${TRUNCATION_MARKER}`,
    ],
    [
      'pair kept whole when it fits',
      `${'x'.repeat(5)}${'😀'.repeat(10)}`,
      20,
      `${'x'.repeat(5)}😀${TRUNCATION_MARKER}`,
    ],
    ['empty', '', 3, ''],
  ])('%s', (_label, text, max, expected) => {
    const cut = truncate(text, max);
    expect(cut).toBe(expected);
    expect(cut.length).toBeLessThanOrEqual(max);
  });

  it('takes another marker', () => {
    expect(truncate('abcdef', 4, '…')).toBe('abc…');
  });
});
