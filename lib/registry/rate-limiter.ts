/**
 * Requests per registry host, as a token bucket: `burst` requests at once, then `requestsPerSecond`.
 * Registries throttle per client (Docker Hub, GHCR, Quay all answer 429), and a 50,000-tag listing
 * or a webhook burst must slow down rather than be refused. A 429 pauses the host for its
 * Retry-After and halves its rate; each minute without another 429 gives back a tenth of the
 * configured rate until it is whole again. Waiters are served in order, one bucket per host.
 */
import { setTimeout as delay } from 'node:timers/promises';

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export const realSleep: Sleep = async (ms, signal) => {
  await delay(ms, undefined, signal === undefined ? {} : { signal });
};

export interface RateLimitOptions {
  /** Steady rate per host; 50 by default. */
  requestsPerSecond?: number;
  /** Requests a host may take at once after being idle; 10 by default. */
  burst?: number;
  /** A floor for halving; one request per ten seconds by default. */
  minRequestsPerSecond?: number;
  /** Share of the configured rate given back per minute without a 429; 0.1 by default. */
  recoveryStep?: number;
  now?: () => number;
  sleep?: Sleep;
}

interface Bucket {
  tokens: number;
  /** When tokens were last counted; in the future while the host is paused. */
  countedAt: number;
  rate: number;
  /** The start of the current minute without a 429, while the rate is lowered. */
  calmSince: number;
  tail: Promise<void>;
}

const MINUTE_MS = 60_000;

export class HostRateLimiter {
  readonly #rate: number;
  readonly #burst: number;
  readonly #minRate: number;
  readonly #step: number;
  readonly #now: () => number;
  readonly #sleep: Sleep;
  readonly #buckets = new Map<string, Bucket>();

  constructor(options: RateLimitOptions = {}) {
    this.#rate = options.requestsPerSecond ?? 50;
    this.#burst = Math.max(1, options.burst ?? 10);
    this.#minRate = Math.min(this.#rate, options.minRequestsPerSecond ?? 0.1);
    this.#step = options.recoveryStep ?? 0.1;
    this.#now = options.now ?? Date.now;
    this.#sleep = options.sleep ?? realSleep;
    if (!(this.#rate > 0)) throw new RangeError('requestsPerSecond must be positive');
  }

  /** Waits until the host may take one more request. */
  acquire(host: string, signal?: AbortSignal): Promise<void> {
    const bucket = this.#bucket(host);
    const turn = bucket.tail.then(() => this.#take(bucket, signal));
    bucket.tail = turn.catch(() => {});
    return turn;
  }

  /** The host answered 429: pause it for `retryAfterMs` and halve its rate. */
  throttled(host: string, retryAfterMs = 0): void {
    const bucket = this.#bucket(host);
    const now = this.#now();
    this.#count(bucket, now);
    bucket.rate = Math.max(this.#minRate, bucket.rate / 2);
    bucket.calmSince = now;
    bucket.tokens = 0;
    bucket.countedAt = Math.max(bucket.countedAt, now + Math.max(0, retryAfterMs));
  }

  /** The host's current rate in requests per second. */
  rateOf(host: string): number {
    const bucket = this.#bucket(host);
    this.#count(bucket, this.#now());
    return bucket.rate;
  }

  async #take(bucket: Bucket, signal: AbortSignal | undefined): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      const now = this.#now();
      this.#count(bucket, now);
      const waitMs =
        bucket.countedAt > now
          ? bucket.countedAt - now
          : bucket.tokens >= 1
            ? 0
            : ((1 - bucket.tokens) / bucket.rate) * 1000;
      if (waitMs <= 0) {
        bucket.tokens -= 1;
        return;
      }
      await this.#sleep(Math.ceil(waitMs), signal);
    }
  }

  #count(bucket: Bucket, now: number): void {
    if (bucket.rate < this.#rate) {
      const calmMinutes = Math.floor((now - bucket.calmSince) / MINUTE_MS);
      if (calmMinutes > 0) {
        bucket.rate = Math.min(this.#rate, bucket.rate + calmMinutes * this.#step * this.#rate);
        bucket.calmSince += calmMinutes * MINUTE_MS;
      }
    }
    if (now <= bucket.countedAt) return;
    bucket.tokens = Math.min(this.#burst, bucket.tokens + ((now - bucket.countedAt) * bucket.rate) / 1000);
    bucket.countedAt = now;
  }

  #bucket(host: string): Bucket {
    let bucket = this.#buckets.get(host);
    if (bucket === undefined) {
      const now = this.#now();
      bucket = {
        tokens: this.#burst,
        countedAt: now,
        rate: this.#rate,
        calmSince: now,
        tail: Promise.resolve(),
      };
      this.#buckets.set(host, bucket);
    }
    return bucket;
  }
}

/** A Retry-After header (seconds, or an HTTP date) in milliseconds from now; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  const text = value?.trim() ?? '';
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
