import { describe, expect, it } from 'vitest';
import { HostRateLimiter, parseRetryAfter, type RateLimitOptions } from '../../lib/registry/index.ts';

/** A limiter on a clock that moves only when it sleeps: every wait is recorded, none is real. */
function limiterAt(options: RateLimitOptions = {}) {
  const clock = { now: 0, waits: [] as number[] };
  const limiter = new HostRateLimiter({
    ...options,
    now: () => clock.now,
    sleep: async (ms) => {
      clock.waits.push(ms);
      clock.now += ms;
    },
  });
  return { clock, limiter };
}

async function take(limiter: HostRateLimiter, host: string, count: number): Promise<void> {
  for (let i = 0; i < count; i++) await limiter.acquire(host);
}

describe('per-host rate limiter', () => {
  it('lets a burst through at once, then paces at the configured rate (50/s, burst 10 by default)', async () => {
    const { clock, limiter } = limiterAt();
    await take(limiter, 'ghcr.io', 10);
    expect(clock.waits).toEqual([]);
    await take(limiter, 'ghcr.io', 5);
    expect(clock.waits).toEqual([20, 20, 20, 20, 20]);
  });

  it('takes its rate and burst from options', async () => {
    const { clock, limiter } = limiterAt({ requestsPerSecond: 4, burst: 2 });
    await take(limiter, 'quay.io', 4);
    expect(clock.waits).toEqual([250, 250]);
  });

  it('keeps one bucket per host', async () => {
    const { clock, limiter } = limiterAt({ burst: 1 });
    await take(limiter, 'ghcr.io', 1);
    await take(limiter, 'quay.io', 1);
    expect(clock.waits).toEqual([]);
  });

  it('refills while idle, up to the burst', async () => {
    const { clock, limiter } = limiterAt({ requestsPerSecond: 10, burst: 3 });
    await take(limiter, 'h', 3);
    clock.now += 60_000;
    await take(limiter, 'h', 4);
    expect(clock.waits).toEqual([100]);
  });

  it('pauses a throttled host for Retry-After, halves its rate, and recovers a tenth per calm minute', async () => {
    const { clock, limiter } = limiterAt({ requestsPerSecond: 40, burst: 1 });
    await take(limiter, 'h', 1);
    limiter.throttled('h', 3_000);
    expect(limiter.rateOf('h')).toBe(20);
    await take(limiter, 'h', 2);
    // The pause, then an empty bucket refilling at 20 requests a second.
    expect(clock.waits).toEqual([3_000, 50, 50]);

    clock.now += 60_000;
    expect(limiter.rateOf('h')).toBe(24);
    clock.now += 120_000;
    expect(limiter.rateOf('h')).toBe(32);
    clock.now += 10 * 60_000;
    expect(limiter.rateOf('h')).toBe(40);
  });

  it('halves again on every 429 down to a floor, and a new 429 restarts the calm minute', async () => {
    const { clock, limiter } = limiterAt({ requestsPerSecond: 8, minRequestsPerSecond: 1 });
    for (const rate of [4, 2, 1, 1]) {
      limiter.throttled('h');
      expect(limiter.rateOf('h')).toBe(rate);
    }
    clock.now += 59_000;
    limiter.throttled('h');
    clock.now += 59_000;
    expect(limiter.rateOf('h')).toBe(1);
    clock.now += 1_000;
    expect(limiter.rateOf('h')).toBeCloseTo(1.8);
  });

  it('serves waiters in the order they came', async () => {
    const { limiter } = limiterAt({ burst: 1 });
    const order: number[] = [];
    await Promise.all([1, 2, 3, 4].map((i) => limiter.acquire('h').then(() => order.push(i))));
    expect(order).toEqual([1, 2, 3, 4]);
  });

  it('gives up a wait when its signal aborts, without holding up the others', async () => {
    const clock = { now: 0 };
    const limiter = new HostRateLimiter({
      burst: 1,
      now: () => clock.now,
      sleep: async (ms, signal) => {
        signal?.throwIfAborted();
        clock.now += ms;
      },
    });
    await limiter.acquire('h');
    const controller = new AbortController();
    controller.abort(new Error('job cancelled'));
    await expect(limiter.acquire('h', controller.signal)).rejects.toThrow('job cancelled');
    await expect(limiter.acquire('h')).resolves.toBeUndefined();
  });
});

describe('Retry-After', () => {
  const now = Date.parse('2030-01-01T00:00:00Z');
  it.each([
    ['seconds', '120', 120_000],
    ['zero', '0', 0],
    ['an HTTP date', 'Tue, 01 Jan 2030 00:00:30 GMT', 30_000],
    ['a date in the past', 'Mon, 31 Dec 2029 23:00:00 GMT', 0],
    ['garbage', 'soon', undefined],
    ['nothing', null, undefined],
  ])('reads %s', (_, header, ms) => {
    expect(parseRetryAfter(header, now)).toBe(ms);
  });
});
