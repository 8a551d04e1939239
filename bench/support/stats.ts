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
