/**
 * The consumer's delivery policy, on the embedded queue (the contract suite runs its dead-lettering
 * against SQS too). Backoffs are pinned to whole seconds so the waits stay short.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TerminalError, TransientError } from '../../lib/errors.ts';
import { exponentialBackoff } from '../../lib/queue/backoff.ts';
import type { Consumer, ConsumerOptions, JobHandler, OutcomeReport } from '../../lib/queue/consumer.ts';
import { startConsumer } from '../../lib/queue/consumer.ts';
import { EmbeddedJobQueueFactory } from '../../lib/queue/embedded-job-queue.ts';
import type { JobQueue } from '../../lib/queue/job-queue.ts';
import { DeliveryAbortedError } from '../../lib/queue/queue-errors.ts';
import { requeue } from '../../lib/queue/requeue.ts';
import { waitFor } from '../support/ports.ts';

interface Job {
  n: string;
  step?: number;
}

let dir: string;
let clock: { offset: number };
let factory: EmbeddedJobQueueFactory;
let queue: JobQueue<Job>;
let consumers: Consumer[];
let reports: OutcomeReport<Job>[];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ferry-consumer-'));
  clock = { offset: 0 };
  factory = new EmbeddedJobQueueFactory({ dir, now: () => Date.now() + clock.offset });
  queue = factory.open<Job>('jobs');
  consumers = [];
  reports = [];
});

afterEach(async () => {
  await Promise.all(consumers.map((c) => c.stop(0)));
  await factory.close();
  await rm(dir, { recursive: true, force: true });
});

function consume(handler: JobHandler<Job>, options: ConsumerOptions<Job> = {}): Consumer {
  const consumer = startConsumer(queue, handler, {
    waitSeconds: 1,
    backoff: () => 0,
    onOutcome: (report) => void reports.push(report),
    ...options,
  });
  consumers.push(consumer);
  return consumer;
}

const outcomes = () => reports.map((r) => r.outcome);
const until = (what: string, probe: () => boolean) => waitFor(what, async () => probe(), 10_000);

describe('consumer', () => {
  it('acknowledges a job whose handler succeeds', async () => {
    await queue.send({ n: 'a' }, { group: 'g', dedupeId: 'a' });
    consume(async () => {});
    await until('the outcome', () => reports.length === 1);
    expect(outcomes()).toEqual(['ok']);
    expect(await queue.stats()).toEqual({ visible: 0, inFlight: 0, delayed: 0, deadLetters: 0 });
  });

  it('reports a terminal error and acknowledges the job without retrying it', async () => {
    await queue.send({ n: 'bad' }, { group: 'g', dedupeId: 'bad' });
    let runs = 0;
    consume(async () => {
      runs++;
      throw new TerminalError('invalid policy: range "~>1.x" does not parse');
    });
    await until('the outcome', () => reports.length === 1);
    expect(outcomes()).toEqual(['terminal']);
    expect(reports[0]?.error).toBeInstanceOf(TerminalError);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(runs).toBe(1);
    expect(await queue.stats()).toEqual({ visible: 0, inFlight: 0, delayed: 0, deadLetters: 0 });
  });

  it('retries a transient error after the backoff it asks for, then succeeds', async () => {
    await queue.send({ n: 'flaky' }, { group: 'g', dedupeId: 'flaky' });
    const asked: number[] = [];
    const runs: { at: number; receiveCount: number }[] = [];
    consume(
      async (_job, { message }) => {
        runs.push({ at: Date.now(), receiveCount: message.receiveCount });
        if (runs.length === 1) throw new Error('socket hang up');
      },
      {
        backoff: (n) => {
          asked.push(n);
          return 1;
        },
      },
    );
    await until('two runs', () => reports.length === 2);
    expect(outcomes()).toEqual(['retry', 'ok']);
    expect(asked).toEqual([1]);
    expect(runs.map((r) => r.receiveCount)).toEqual([1, 2]);
    expect(runs[1]!.at - runs[0]!.at).toBeGreaterThanOrEqual(900);
  });

  it('dead-letters with the error as reason once maxReceives deliveries have failed', async () => {
    await queue.send({ n: 'doomed' }, { group: 'g', dedupeId: 'doomed' });
    consume(
      async () => {
        throw new TransientError('git push rejected: 503');
      },
      { maxReceives: 3 },
    );
    await until('the dead letter', () => outcomes().includes('dead-letter'));
    expect(outcomes()).toEqual(['retry', 'retry', 'dead-letter']);
    const [dead] = await queue.deadLetters();
    expect(dead?.reason).toBe('TransientError: git push rejected: 503');
    expect(dead?.receiveCount).toBe(3);
  });

  it('dead-letters without running a message its consumers kept dying on', async () => {
    await queue.send({ n: 'poison' }, { group: 'g', dedupeId: 'poison' });
    for (let i = 0; i < 2; i++) {
      expect(await queue.receive({ visibilitySeconds: 1 })).toHaveLength(1);
      clock.offset += 2_000;
    }
    let runs = 0;
    consume(
      async () => {
        runs++;
      },
      { maxReceives: 2 },
    );
    await until('the dead letter', () => reports.length === 1);
    expect(runs).toBe(0);
    expect(reports[0]).toMatchObject({ outcome: 'dead-letter', durationMs: 0 });
    const [dead] = await queue.deadLetters();
    expect(dead?.receiveCount).toBe(3);
    expect(dead?.reason).toContain('more than maxReceives (2)');
  });

  it('continues a requeued job later as a fresh delivery, not as a failure', async () => {
    await queue.send({ n: 'health', step: 1 }, { group: 'g', dedupeId: 'health' });
    const runs: { at: number; step?: number; receiveCount: number }[] = [];
    consume(async (job, { message }) => {
      runs.push({ at: Date.now(), step: job.step, receiveCount: message.receiveCount });
      if (job.step === 1) return requeue(1, { ...job, step: 2 });
    });
    await until('two runs', () => reports.length === 2);
    expect(outcomes()).toEqual(['requeue', 'ok']);
    expect(runs.map((r) => [r.step, r.receiveCount])).toEqual([
      [1, 1],
      [2, 1],
    ]);
    expect(runs[1]!.at - runs[0]!.at).toBeGreaterThanOrEqual(900);
    expect(await queue.stats()).toEqual({ visible: 0, inFlight: 0, delayed: 0, deadLetters: 0 });
  });

  it('runs different groups in parallel and the messages of one group one after another', async () => {
    for (const [n, group] of [
      ['a1', 'a'],
      ['a2', 'a'],
      ['b1', 'b'],
      ['c1', 'c'],
    ] as const) {
      await queue.send({ n }, { group, dedupeId: n });
    }
    const started: string[] = [];
    let running = 0;
    let most = 0;
    const groupsRunning = new Set<string>();
    let overlapInGroup = false;
    consume(
      async (job, { message }) => {
        if (groupsRunning.has(message.group)) overlapInGroup = true;
        groupsRunning.add(message.group);
        started.push(job.n);
        most = Math.max(most, ++running);
        await new Promise((resolve) => setTimeout(resolve, 150));
        running--;
        groupsRunning.delete(message.group);
      },
      { concurrency: 4 },
    );
    await until('four runs', () => reports.length === 4);
    expect(most).toBeGreaterThanOrEqual(3);
    expect(overlapInGroup).toBe(false);
    expect(started.indexOf('a1')).toBeLessThan(started.indexOf('a2'));
  });

  it('waits out its grace for a handler that finishes in time', async () => {
    await queue.send({ n: 'quick' }, { group: 'g', dedupeId: 'quick' });
    let began = false;
    const consumer = consume(async () => {
      began = true;
      await new Promise((resolve) => setTimeout(resolve, 200));
    });
    await until('the handler', () => began);
    await consumer.stop(5_000);
    expect(outcomes()).toEqual(['ok']);
    expect(await queue.stats()).toMatchObject({ visible: 0, inFlight: 0 });
  });

  it('aborts an unfinished handler when the grace ends and gives its message to another consumer', async () => {
    await queue.send({ n: 'slow' }, { group: 'g', dedupeId: 'slow' });
    let seen: unknown;
    let began = false;
    const first = consume(
      (_job, { signal }) =>
        new Promise<void>((_resolve, reject) => {
          began = true;
          signal.addEventListener('abort', () => {
            seen = signal.reason;
            reject(signal.reason);
          });
        }),
      { visibilitySeconds: 60 },
    );
    await until('the handler', () => began);
    const stopping = Date.now();
    await first.stop(200);
    expect(Date.now() - stopping).toBeLessThan(2_000);
    expect(seen).toBeInstanceOf(DeliveryAbortedError);
    expect(reports).toEqual([]);
    const second: number[] = [];
    consume(async (_job, { message }) => void second.push(message.receiveCount));
    await until('the other consumer', () => reports.length === 1);
    expect(second).toEqual([2]);
    expect(outcomes()).toEqual(['ok']);
  });

  it('aborts a handler whose visibility timeout ends, since the message may be running elsewhere', async () => {
    await queue.send({ n: 'overrun' }, { group: 'g', dedupeId: 'overrun' });
    let reason: unknown;
    consume(
      (_job, { signal }) =>
        new Promise<void>((_resolve, reject) => {
          signal.addEventListener('abort', () => {
            reason = signal.reason;
            reject(signal.reason);
          });
        }),
      { visibilitySeconds: 1, maxReceives: 1 },
    );
    await until('the abort', () => reason !== undefined);
    expect(reason).toBeInstanceOf(DeliveryAbortedError);
    expect((reason as Error).message).toContain('visibility timeout');
  });
});

describe('exponential backoff', () => {
  const cases: { label: string; receiveCount: number; random: number; seconds: number }[] = [
    { label: 'first failure, least jitter', receiveCount: 1, random: 0, seconds: 1 },
    { label: 'first failure, most jitter', receiveCount: 1, random: 0.999, seconds: 2 },
    { label: 'third failure doubles twice', receiveCount: 3, random: 0, seconds: 4 },
    { label: 'third failure, most jitter', receiveCount: 3, random: 0.999, seconds: 8 },
    { label: 'capped at the maximum', receiveCount: 20, random: 0.999, seconds: 300 },
    { label: 'capped, least jitter is half the cap', receiveCount: 20, random: 0, seconds: 150 },
  ];
  it.each(cases)('$label', ({ receiveCount, random, seconds }) => {
    const backoff = exponentialBackoff({ baseSeconds: 2, maxSeconds: 300, random: () => random });
    expect(backoff(receiveCount)).toBe(seconds);
  });
});
