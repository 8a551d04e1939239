import { describe, expect, it } from 'vitest';
import { applyDelta, encodeDelta } from '../../lib/git/delta.ts';

const manifest = (tag: string) =>
  Buffer.from(
    `apiVersion: apps/v1\nkind: Deployment\n${'  # padding line\n'.repeat(20)}image: team/app:${tag}\nports: []\n`,
  );

describe('deltas', () => {
  it.each([
    ['a tag changed in the middle', manifest('1.0.0'), manifest('1.10.2')],
    ['a line appended', manifest('1.0.0'), Buffer.concat([manifest('1.0.0'), Buffer.from('extra: true\n')])],
    ['a line prepended', manifest('1.0.0'), Buffer.concat([Buffer.from('# note\n'), manifest('1.0.0')])],
    ['identical content', manifest('1.0.0'), manifest('1.0.0')],
    [
      'a middle longer than one insert',
      Buffer.alloc(4000, 'a'),
      Buffer.concat([Buffer.alloc(2000, 'a'), Buffer.alloc(300, 'b'), Buffer.alloc(2000, 'a')]),
    ],
    [
      'a copy beyond 64 KiB',
      Buffer.alloc(200_000, 'x'),
      Buffer.concat([Buffer.alloc(200_000, 'x'), Buffer.from('!')]),
    ],
  ])('rebuilds the target for %s, in far fewer bytes', (_label, base, target) => {
    const delta = encodeDelta(base, target);
    expect(delta).toBeDefined();
    expect(applyDelta(base, delta!).equals(target)).toBe(true);
    expect(delta!.length).toBeLessThan(target.length / 2);
  });

  it.each([
    ['unrelated content', Buffer.from('a'.repeat(100)), Buffer.from('b'.repeat(100))],
    ['a tiny object', Buffer.from('v1\n'), Buffer.from('v2\n')],
  ])('declines %s, where a delta would not pay', (_label, base, target) => {
    expect(encodeDelta(base, target)).toBeUndefined();
  });
});
