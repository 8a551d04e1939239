import { describe, expect, it } from 'vitest';
import { type DigestReflectionPolicy, shouldReflectDigest } from '../../lib/policy/index.ts';

const DIGEST = 'sha256:2d9a00b3981628a533ff43352193b1838b0a4bf6b0033444286f563205e51a2c';

describe('digest reflection', () => {
  it.each([
    ['Never, first time', 'Never', undefined, '1.0.0', false],
    ['Never, new tag', 'Never', { tag: '0.9.0' }, '1.0.0', false],
    ['IfNotPresent, first time', 'IfNotPresent', undefined, '1.0.0', true],
    ['IfNotPresent, new tag', 'IfNotPresent', { tag: '0.9.0', digest: DIGEST }, '1.0.0', true],
    ['IfNotPresent, same tag without a digest', 'IfNotPresent', { tag: '1.0.0' }, '1.0.0', true],
    [
      'IfNotPresent, same tag with an empty digest',
      'IfNotPresent',
      { tag: '1.0.0', digest: '' },
      '1.0.0',
      true,
    ],
    [
      'IfNotPresent, same tag with its digest',
      'IfNotPresent',
      { tag: '1.0.0', digest: DIGEST },
      '1.0.0',
      false,
    ],
    ['Always, first time', 'Always', undefined, 'latest', true],
    ['Always, same tag with its digest', 'Always', { tag: 'latest', digest: DIGEST }, 'latest', true],
  ] as [string, DigestReflectionPolicy, { tag: string; digest?: string } | undefined, string, boolean][])(
    '%s: %s',
    (_label, policy, previous, latestTag, expected) => {
      expect(shouldReflectDigest(policy, previous, latestTag)).toBe(expected);
    },
  );
});
