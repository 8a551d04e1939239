import { describe, expect, it } from 'vitest';
import { TokenCache, tokenCacheKey } from '../../lib/registry/index.ts';

function cacheAt(start = 0) {
  const clock = { now: start };
  return { clock, cache: new TokenCache({ now: () => clock.now, maxEntries: 3 }) };
}

describe('bearer token cache', () => {
  it.each([
    ['the default 60 s when the token server does not say', undefined, 54_999, 55_000],
    ['expires_in, less a tenth up to 5 s', 300, 294_999, 295_000],
    ['a short-lived token, less a tenth', 10, 8_999, 9_000],
  ])('keeps a token for %s', (_, expiresIn, lastGood, gone) => {
    const { clock, cache } = cacheAt();
    cache.set('k', 'token', expiresIn);
    clock.now = lastGood;
    expect(cache.get('k')).toBe('token');
    clock.now = gone;
    expect(cache.get('k')).toBeUndefined();
  });

  it('keys tokens by host, scope and credentials without holding the credentials', () => {
    const alice = { username: 'alice', password: 'alice-secret' };
    const keys = [
      tokenCacheKey('ghcr.io', 'repository:team/app:pull'),
      tokenCacheKey('ghcr.io', 'repository:team/app:pull', alice),
      tokenCacheKey('ghcr.io', 'repository:team/app:pull', { ...alice, password: 'other' }),
      tokenCacheKey('ghcr.io', 'repository:team/other:pull', alice),
      tokenCacheKey('quay.io', 'repository:team/app:pull', alice),
    ];
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.join(' ')).not.toContain('alice-secret');
    expect(keys[1]).toBe(tokenCacheKey('ghcr.io', 'repository:team/app:pull', { ...alice }));
  });

  it('drops expired tokens first, then the oldest, beyond its size', () => {
    const { clock, cache } = cacheAt();
    cache.set('short', 's', 1);
    cache.set('a', 'a', 300);
    cache.set('b', 'b', 300);
    clock.now = 2_000;
    cache.set('c', 'c', 300);
    expect(cache.size).toBe(3);
    expect(cache.get('a')).toBe('a');
    cache.set('d', 'd', 300);
    expect([cache.get('a'), cache.get('b'), cache.get('c'), cache.get('d')]).toEqual([
      undefined,
      'b',
      'c',
      'd',
    ]);
  });
});
