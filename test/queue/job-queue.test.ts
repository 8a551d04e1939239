/**
 * The JobQueue contract, run against both adapters: the embedded queue on a temporary directory and
 * the SQS adapter on a local SQS server (see test/support/sqs.ts for where that server is corrected
 * toward real SQS FIFO behaviour). Visibility timeouts and delays are 1–2 s to keep the suite short.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TransientError } from '../../lib/errors.ts';
import type { Consumer, Outcome } from '../../lib/queue/consumer.ts';
import { startConsumer } from '../../lib/queue/consumer.ts';
import { EmbeddedJobQueueFactory } from '../../lib/queue/embedded-job-queue.ts';
import { ensureSqsQueues } from '../../lib/queue/ensure-sqs-queues.ts';
import type { JobQueue, JobQueueFactory } from '../../lib/queue/job-queue.ts';
import { StaleReceiptError } from '../../lib/queue/queue-errors.ts';
import { SqsJobQueueFactory } from '../../lib/queue/sqs-job-queue.ts';
import { waitFor } from '../support/ports.ts';
import type { LocalSqs } from '../support/sqs.ts';
import { startSqs } from '../support/sqs.ts';

interface Adapter {
  name: string;
  start(): Promise<void>;
  /** A fresh, empty queue for one test. */
  queue<T>(name: string): Promise<JobQueue<T>>;
  stop(): Promise<void>;
}

function embedded(): Adapter {
  let dir = '';
  let factory: JobQueueFactory | undefined;
  return {
    name: 'embedded',
    async start() {
      dir = await mkdtemp(join(tmpdir(), 'ferry-queue-'));
      factory = new EmbeddedJobQueueFactory({ dir });
    },
    async queue<T>(name: string) {
      return factory!.open<T>(name);
    },
    async stop() {
      await factory?.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function sqs(): Adapter {
  let server: LocalSqs | undefined;
  let factory: JobQueueFactory | undefined;
  return {
    name: 'sqs',
    async start() {
      server = await startSqs();
      factory = new SqsJobQueueFactory({
        client: server.client,
        queueUrlPrefix: `${server.endpoint}/123456789012/`,
      });
    },
    async queue<T>(name: string) {
      await ensureSqsQueues(server!.client, '', [name], { visibilitySeconds: 30, maxReceiveCount: 10 });
      return factory!.open<T>(name);
    },
    async stop() {
      await server?.close();
    },
  };
}

interface Job {
  n: string;
}

const names = (messages: { body: Job }[]) => messages.map((m) => m.body.n).sort();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each([embedded(), sqs()])('$name job queue', (adapter) => {
  let count = 0;
  const fresh = () => adapter.queue<Job>(`contract-${++count}`);

  beforeAll(() => adapter.start());
  afterAll(() => adapter.stop());

  it('delivers the messages of one group one at a time, in send order', async () => {
    const q = await fresh();
    for (const n of ['1', '2', '3']) await q.send({ n }, { group: 'g', dedupeId: n });
    for (const n of ['1', '2', '3']) {
      const got = await q.receive({ max: 10 });
      expect(names(got)).toEqual([n]);
      await q.ack(got[0]!.receipt);
    }
    expect(await q.receive({ max: 10 })).toEqual([]);
  });

  it("hands out the heads of different groups together while holding each group's next message", async () => {
    const q = await fresh();
    await q.send({ n: 'a1' }, { group: 'a', dedupeId: 'a1' });
    await q.send({ n: 'a2' }, { group: 'a', dedupeId: 'a2' });
    await q.send({ n: 'b1' }, { group: 'b', dedupeId: 'b1' });
    const heads = await q.receive({ max: 10 });
    expect(names(heads)).toEqual(['a1', 'b1']);
    expect(await q.receive({ max: 10 })).toEqual([]);
    await q.ack(heads.find((m) => m.body.n === 'a1')!.receipt);
    expect(names(await q.receive({ max: 10 }))).toEqual(['a2']);
  });

  it('accepts a dedupeId seen within the window and drops it, even after the first was acknowledged', async () => {
    const q = await fresh();
    const first = await q.send({ n: 'first' }, { group: 'g', dedupeId: 'same' });
    const again = await q.send({ n: 'again' }, { group: 'g', dedupeId: 'same' });
    expect(again.id).toBe(first.id);
    const got = await q.receive({ max: 10 });
    expect(names(got)).toEqual(['first']);
    await q.ack(got[0]!.receipt);
    await q.send({ n: 'late' }, { group: 'g', dedupeId: 'same' });
    await q.send({ n: 'other' }, { group: 'g', dedupeId: 'other' });
    expect(names(await q.receive({ max: 10, waitSeconds: 1 }))).toEqual(['other']);
  });

  it('redelivers a message whose consumer died once its visibility timeout ends', async () => {
    const q = await fresh();
    await q.send({ n: 'job' }, { group: 'g', dedupeId: 'job' });
    const [first] = await q.receive({ visibilitySeconds: 1 });
    expect(first?.receiveCount).toBe(1);
    expect(await q.receive()).toEqual([]);
    const started = Date.now();
    const [second] = await q.receive({ waitSeconds: 4, visibilitySeconds: 10 });
    expect(second?.id).toBe(first?.id);
    expect(second?.receiveCount).toBe(2);
    expect(Date.now() - started).toBeGreaterThan(500);
  });

  it('retries after the delay asked for, holding its group meanwhile', async () => {
    const q = await fresh();
    await q.send({ n: 'm1' }, { group: 'g', dedupeId: 'm1' });
    await q.send({ n: 'm2' }, { group: 'g', dedupeId: 'm2' });
    const [m1] = await q.receive({ max: 10 });
    const retriedAt = Date.now();
    await q.retry(m1!.receipt, 2);
    expect(await q.receive({ max: 10 })).toEqual([]);
    const again = await q.receive({ max: 10, waitSeconds: 5 });
    expect(names(again)).toEqual(['m1']);
    expect(again[0]?.receiveCount).toBe(2);
    expect(Date.now() - retriedAt).toBeGreaterThanOrEqual(1900);
  });

  it('does not deliver a delayed message before its delay, and counts no receive for the wait', async () => {
    const q = await fresh();
    const sentAt = Date.now();
    await q.send({ n: 'later' }, { group: 'g', dedupeId: 'later', delaySeconds: 2 });
    expect(await q.receive({ max: 10 })).toEqual([]);
    const got = await q.receive({ max: 10, waitSeconds: 5 });
    expect(names(got)).toEqual(['later']);
    expect(Date.now() - sentAt).toBeGreaterThanOrEqual(1900);
    expect(got[0]?.receiveCount).toBe(1);
  });

  it('refuses a receipt whose visibility timeout has ended', async () => {
    const q = await fresh();
    await q.send({ n: 'job' }, { group: 'g', dedupeId: 'job' });
    const [first] = await q.receive({ visibilitySeconds: 1 });
    await sleep(1300);
    await expect(q.ack(first!.receipt)).rejects.toBeInstanceOf(StaleReceiptError);
    expect(names(await q.receive())).toEqual(['job']);
  });

  it('never lets a stale ack delete the message redelivered to another consumer', async () => {
    const q = await fresh();
    await q.send({ n: 'job' }, { group: 'g', dedupeId: 'job' });
    const [first] = await q.receive({ visibilitySeconds: 1 });
    const [second] = await q.receive({ waitSeconds: 4, visibilitySeconds: 10 });
    expect(second?.receiveCount).toBe(2);
    await expect(q.ack(first!.receipt)).rejects.toBeInstanceOf(StaleReceiptError);
    await expect(q.retry(first!.receipt, 0)).rejects.toBeInstanceOf(StaleReceiptError);
    expect((await q.stats()).inFlight).toBe(1);
    await q.ack(second!.receipt);
    expect(await q.stats()).toMatchObject({ visible: 0, inFlight: 0 });
  });

  it('dead-letters a message after maxReceives failures through the consumer, with the reason', async () => {
    const q = await fresh();
    await q.send({ n: 'doomed' }, { group: 'g', dedupeId: 'doomed' });
    const outcomes: Outcome[] = [];
    const consumer: Consumer = startConsumer(
      q,
      async () => {
        throw new TransientError('registry answered 503');
      },
      {
        maxReceives: 2,
        backoff: () => 0,
        waitSeconds: 1,
        onOutcome: ({ outcome }) => void outcomes.push(outcome),
      },
    );
    try {
      await waitFor('the dead letter', async () => outcomes.includes('dead-letter'), 15_000);
    } finally {
      await consumer.stop(1000);
    }
    expect(outcomes).toEqual(['retry', 'dead-letter']);
    const dead = await q.deadLetters();
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({ body: { n: 'doomed' }, group: 'g', receiveCount: 2 });
    expect(dead[0]?.reason).toContain('registry answered 503');
    expect(await q.stats()).toMatchObject({ visible: 0, inFlight: 0, deadLetters: 1 });
    expect(await q.deadLetters()).toHaveLength(1);
  });

  it('passes a group on to its next message when the head is dead-lettered or acknowledged', async () => {
    const q = await fresh();
    for (const n of ['1', '2', '3']) await q.send({ n }, { group: 'g', dedupeId: n });
    const [head] = await q.receive({ max: 10 });
    await q.deadLetter(head!.receipt, 'manifest does not parse');
    const [next] = await q.receive({ max: 10 });
    expect(next?.body.n).toBe('2');
    await q.ack(next!.receipt);
    expect(names(await q.receive({ max: 10 }))).toEqual(['3']);
  });

  it('counts visible, in-flight and dead-lettered messages', async () => {
    const q = await fresh();
    await q.send({ n: 'a' }, { group: 'a', dedupeId: 'a' });
    await q.send({ n: 'b' }, { group: 'b', dedupeId: 'b' });
    expect(await q.stats()).toEqual({ visible: 2, inFlight: 0, delayed: 0, deadLetters: 0 });
    const [got] = await q.receive();
    expect(await q.stats()).toEqual({ visible: 1, inFlight: 1, delayed: 0, deadLetters: 0 });
    await q.deadLetter(got!.receipt, 'unparsable manifest');
    expect(await q.stats()).toEqual({ visible: 1, inFlight: 0, delayed: 0, deadLetters: 1 });
    expect((await q.deadLetters())[0]?.reason).toBe('unparsable manifest');
  });
});
