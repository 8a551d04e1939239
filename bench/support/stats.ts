import type { ChildProcess } from 'node:child_process';

/** The middle value (the upper middle of an even count); NaN for none. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** Sends one message to a forked benchmark child and resolves with its next reply. */
export function ask<Reply>(worker: ChildProcess, message: unknown): Promise<Reply> {
  return new Promise((resolve, reject) => {
    worker.once('message', (reply) => resolve(reply as Reply));
    worker.once('error', reject);
    worker.send(message as object);
  });
}

export interface Alternated<A, B> {
  /** Each side's median time in ms. */
  ferry: number;
  baseline: number;
  /** Each side's answer from its last run. */
  ferryResult: A;
  baselineResult: B;
}

/**
 * Runs both sides alternately, `warmup` unmeasured rounds first, so that drift in machine load hits
 * both alike; returns each side's median and last answer, for the caller to compare.
 */
export function alternate<A, B>(
  ferry: () => A,
  baseline: () => B,
  options: { warmup: number; runs: number },
): Alternated<A, B> {
  const ferryTimes: number[] = [];
  const baselineTimes: number[] = [];
  let ferryResult = ferry();
  let baselineResult = baseline();
  for (let run = 1 - options.warmup; run < options.runs; run++) {
    let start = performance.now();
    ferryResult = ferry();
    const ferryMs = performance.now() - start;
    start = performance.now();
    baselineResult = baseline();
    const baselineMs = performance.now() - start;
    if (run >= 0) {
      ferryTimes.push(ferryMs);
      baselineTimes.push(baselineMs);
    }
  }
  return { ferry: median(ferryTimes), baseline: median(baselineTimes), ferryResult, baselineResult };
}
