/**
 * How long a failed job waits before its next try. Exponential, so a registry or API server that is
 * down is not hammered; capped, so a job never waits longer than an operator would; jittered, so the
 * jobs that failed together (one outage) do not all come back in the same second.
 */

export interface BackoffOptions {
  /** The wait after the first failure. */
  baseSeconds?: number;
  /** No wait is longer. */
  maxSeconds?: number;
  /** A number in [0, 1); tests pin it. */
  random?: () => number;
}

/** Seconds to wait after a failed delivery, given that delivery's receiveCount (1 for the first). */
export type Backoff = (receiveCount: number) => number;

/**
 * base · 2^(receiveCount − 1), capped at max, then "equal jitter": between half that and all of it,
 * in whole seconds (what a queue's visibility timeout takes).
 */
export function exponentialBackoff(options: BackoffOptions = {}): Backoff {
  const { baseSeconds = 2, maxSeconds = 300, random = Math.random } = options;
  return (receiveCount) => {
    const ceiling = Math.min(maxSeconds, baseSeconds * 2 ** Math.max(0, receiveCount - 1));
    return Math.min(maxSeconds, Math.ceil(ceiling / 2 + random() * (ceiling / 2)));
  };
}
