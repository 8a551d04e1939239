import { describe, expect, it } from 'vitest';
import { matchesSelector } from '../../lib/config/index.ts';

const labels = { app: 'web', tier: 'frontend' };

describe('label selectors', () => {
  it.each([
    ['no selector', undefined, true],
    ['an empty selector', {}, true],
    ['matching labels', { matchLabels: { app: 'web' } }, true],
    ['a differing label', { matchLabels: { app: 'api' } }, false],
    [
      'In with the value',
      { matchExpressions: [{ key: 'tier', operator: 'In' as const, values: ['frontend', 'x'] }] },
      true,
    ],
    [
      'In without the key',
      { matchExpressions: [{ key: 'zone', operator: 'In' as const, values: ['a'] }] },
      false,
    ],
    [
      'NotIn with the value',
      { matchExpressions: [{ key: 'app', operator: 'NotIn' as const, values: ['web'] }] },
      false,
    ],
    [
      'NotIn without the key',
      { matchExpressions: [{ key: 'zone', operator: 'NotIn' as const, values: ['a'] }] },
      true,
    ],
    ['Exists', { matchExpressions: [{ key: 'app', operator: 'Exists' as const }] }, true],
    [
      'DoesNotExist on a present key',
      { matchExpressions: [{ key: 'app', operator: 'DoesNotExist' as const }] },
      false,
    ],
    [
      'labels and expressions together',
      { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'Exists' as const }] },
      true,
    ],
  ])('%s', (_label, selector, expected) => {
    expect(matchesSelector(labels, selector)).toBe(expected);
  });
});
