/**
 * handleSqsBatch against the local SQS server: the consumer's delivery policy applied to a batch an
 * event source received, with handlers that stand for jobs.
 */

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Message } from '@aws-sdk/client-sqs';
import { DeleteMessageCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SkipCounter } from '../../lib/aws/sqs-batch.ts';
import { handleSqsBatch } from '../../lib/aws/sqs-batch.ts';
import { stateSkipCounter } from '../../lib/aws/state-skip-counter.ts';
import { TerminalError, TransientError } from '../../lib/errors.ts';
import type { OutcomeReport } from '../../lib/queue/consumer.ts';
import { ensureSqsQueues } from '../../lib/queue/ensure-sqs-queues.ts';
import type { JobQueue } from '../../lib/queue/job-queue.ts';
import { requeue } from '../../lib/queue/requeue.ts';
import { SqsJobQueueFactory } from '../../lib/queue/sqs-job-queue.ts';
import { EmbeddedStateStore } from '../../lib/state/index.ts';
import { waitFor } from '../support/ports.ts';
import type { LocalSqs } from '../support/sqs.ts';
import { startSqs } from '../support/sqs.ts';

interface Body {
  n: string;
}

describe('handleSqsBatch', () => {
  let sqs: LocalSqs;
  let count = 0;

  beforeAll(async () => {
    sqs = await startSqs();
  });
  afterAll(async () => {
    await sqs?.close();
  });

  const fresh = async () => {
    const name = `batch-${++count}`;
    const urls = await ensureSqsQueues(sqs.client, '', [name], {
      visibilitySeconds: 30,
      maxReceiveCount: 10,
    });
    const queue = new SqsJobQueueFactory({
      client: sqs.client,
      queueUrlPrefix: `${sqs.endpoint}/123456789012/`,
    }).open<Body>(name);
    const { url, deadLetterUrl } = urls[name]!;
    /** What the event source would hand over now: every visible message (one per group on FIFO). */
    const poll = async (): Promise<Message[]> =>
      (
        await sqs.client.send(
          new ReceiveMessageCommand({
            QueueUrl: url,
            MaxNumberOfMessages: 10,
            VisibilityTimeout: 30,
            AttributeNames: ['All'],
            MessageSystemAttributeNames: ['All'],
            MessageAttributeNames: ['All'],
          }),
        )
      ).Messages ?? [];
    /** What the event source does with a record not reported as failed. */
    const remove = (message: Message | undefined) =>
      sqs.client.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: message?.ReceiptHandle }));
    return { queue, deadLetterUrl, poll, remove, url };
  };
  const run = (
    messages: Message[],
    queue: JobQueue<Body>,
    deadLetterUrl: string,
    handler: (body: Body) => Promise<undefined | ReturnType<typeof requeue<Body>>>,
    maxReceives = 3,
    skips?: SkipCounter,
  ) => {
    const outcomes: Array<Pick<OutcomeReport<Body>, 'outcome'> & { n: string }> = [];
    const failed = handleSqsBatch<Body>(messages, (body) => handler(body), {
      queue,
      client: sqs.client,
      deadLetterUrl,
      signal: new AbortController().signal,
      maxReceives,
      skips,
      backoff: () => 1,
      onOutcome: ({ message, outcome }) => {
        outcomes.push({ n: message.body.n, outcome });
      },
    });
    return { failed, outcomes };
  };
  const idOf = (messages: Message[], n: string) =>
    messages.find((m) => JSON.parse(m.Body ?? '').n === n)?.MessageId;

  it('acknowledges ok and terminal records, hands back the transient failure, and reports each outcome first', async () => {
    const { queue, deadLetterUrl, poll } = await fresh();
    for (const n of ['ok', 'terminal', 'transient']) await queue.send({ n }, { group: n, dedupeId: n });
    const batch = await poll();
    const { failed, outcomes } = run(batch, queue, deadLetterUrl, async ({ n }) => {
      if (n === 'terminal') throw new TerminalError('bad config');
      if (n === 'transient') throw new TransientError('registry down');
      return undefined;
    });
    expect(await failed).toEqual([idOf(batch, 'transient')]);
    expect(outcomes.sort((a, b) => a.n.localeCompare(b.n))).toEqual([
      { n: 'ok', outcome: 'ok' },
      { n: 'terminal', outcome: 'terminal' },
      { n: 'transient', outcome: 'retry' },
    ]);
  });

  it('sends a requeue as a delayed continuation of the same group, which is deferred until due', async () => {
    const { queue, deadLetterUrl, poll, remove } = await fresh();
    await queue.send({ n: 'health' }, { group: 'ks/apps', dedupeId: 'first' });
    const first = await poll();
    const { failed } = run(first, queue, deadLetterUrl, async () => requeue<Body>(2, { n: 'health-again' }));
    expect(await failed).toEqual([]);

    // The event source deletes the original (it was not reported); the continuation waits 2 s.
    await remove(first[0]);
    const early = await poll();
    expect(
      early.map((m) => [
        JSON.parse(m.Body ?? '').n,
        m.Attributes?.MessageGroupId,
        m.MessageAttributes?.['ferry-delay-seconds']?.StringValue,
      ]),
    ).toEqual([['health-again', 'ks/apps', '2']]);
    const ran: string[] = [];
    const deferred = run(early, queue, deadLetterUrl, async ({ n }) => {
      ran.push(n);
      return undefined;
    });
    expect(await deferred.failed).toEqual([early[0]?.MessageId]);
    expect(ran).toEqual([]);

    let due: Message[] = [];
    await waitFor('the continuation to fall due', async () => {
      due = await poll();
      return due.length > 0;
    });
    const { failed: last } = run(due, queue, deadLetterUrl, async ({ n }) => {
      ran.push(n);
      return undefined;
    });
    expect(await last).toEqual([]);
    expect(ran).toEqual(['health-again']);
  });

  it('dead-letters on the last receive with the reason, and a record received too often without running', async () => {
    const { queue, deadLetterUrl, poll } = await fresh();
    await queue.send({ n: 'flaky' }, { group: 'g', dedupeId: 'flaky' });
    const handler = async (): Promise<undefined> => {
      throw new TransientError('registry down');
    };
    const first = await poll();
    expect(await run(first, queue, deadLetterUrl, handler, 2).failed).toEqual([first[0]?.MessageId]);
    let second: Message[] = [];
    await waitFor('the retry', async () => {
      second = await poll();
      return second.length > 0;
    });
    const last = run(second, queue, deadLetterUrl, handler, 2);
    expect(await last.failed).toEqual([]);
    expect(last.outcomes).toEqual([{ n: 'flaky', outcome: 'dead-letter' }]);
    const letters = await queue.deadLetters();
    expect(letters.map((d) => [d.body.n, d.group, d.receiveCount, d.reason])).toEqual([
      ['flaky', 'g', 2, 'TransientError: registry down'],
    ]);

    await queue.send({ n: 'crashing' }, { group: 'h', dedupeId: 'crashing' });
    const crashing = await poll();
    const ran: string[] = [];
    const unrun = run(
      crashing,
      queue,
      deadLetterUrl,
      async ({ n }) => {
        ran.push(n);
        return undefined;
      },
      0,
    );
    expect(await unrun.failed).toEqual([]);
    expect(ran).toEqual([]);
    expect(unrun.outcomes).toEqual([{ n: 'crashing', outcome: 'dead-letter' }]);
    expect((await queue.deadLetters()).map((d) => d.reason)).toContainEqual(
      'received 1 times, more than maxReceives (0): its consumers stopped before finishing it',
    );
  });

  it('holds back the later records of a failing group, and does not count those receives as tries', async () => {
    const { queue, deadLetterUrl, poll } = await fresh();
    const dir = await mkdtemp(join(tmpdir(), 'ferry-skips-'));
    const state = new EmbeddedStateStore({ dir });
    try {
      const skips = stateSkipCounter(state, queue.name);
      await queue.send({ n: 'head' }, { group: 'ks/a', dedupeId: 'head' });
      await queue.send({ n: 'next' }, { group: 'ks/a-next', dedupeId: 'next' });
      // Real SQS hands a FIFO batch several messages of one group, in order; the local server hands
      // out one per group, so the second message is sent in a group of its own and given the head's
      // group here, as the event source would give it.
      const batch = (await poll()).map((m) => ({
        ...m,
        Attributes: { ...m.Attributes, MessageGroupId: 'ks/a' },
      }));
      expect(batch.map((m) => JSON.parse(m.Body ?? '').n)).toEqual(['head', 'next']);
      const ran: string[] = [];
      const first = run(
        batch,
        queue,
        deadLetterUrl,
        async ({ n }) => {
          ran.push(n);
          if (n === 'head') throw new TransientError('cluster unreachable');
          return undefined;
        },
        2,
        skips,
      );
      expect((await first.failed).sort()).toEqual(batch.map((m) => m.MessageId).sort());
      expect(ran).toEqual(['head']);
      expect(await skips.skipped(batch[1]?.MessageId ?? '')).toBe(1);

      // Handed back at once. Its second receive is its first try: even at maxReceives 1, where a
      // record received twice would be dead-lettered unrun, it runs.
      let again: Message[] = [];
      await waitFor('the held-back record', async () => {
        again = (await poll()).filter((m) => JSON.parse(m.Body ?? '').n === 'next');
        return again.length > 0;
      });
      expect(again[0]?.Attributes?.ApproximateReceiveCount).toBe('2');
      const second = run(
        again,
        queue,
        deadLetterUrl,
        async ({ n }) => {
          ran.push(n);
          return undefined;
        },
        1,
        skips,
      );
      expect(await second.failed).toEqual([]);
      expect(second.outcomes).toEqual([{ n: 'next', outcome: 'ok' }]);
      expect(ran).toEqual(['head', 'next']);
    } finally {
      await state.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('defers a delayed record held back on its first receive until it is due, rather than handing it back at once', async () => {
    const { queue, deadLetterUrl, poll } = await fresh();
    const dir = await mkdtemp(join(tmpdir(), 'ferry-skips-'));
    const state = new EmbeddedStateStore({ dir });
    try {
      const skips = stateSkipCounter(state, queue.name);
      await queue.send({ n: 'head' }, { group: 'notify/chat', dedupeId: 'head' });
      // A requeued continuation (a receiver asked to wait 2 s), queued behind the head; given the
      // head's group as in the test above.
      await queue.send({ n: 'later' }, { group: 'notify/chat-later', dedupeId: 'later', delaySeconds: 2 });
      const batch = (await poll()).map((m) => ({
        ...m,
        Attributes: { ...m.Attributes, MessageGroupId: 'notify/chat' },
      }));
      expect(batch.map((m) => JSON.parse(m.Body ?? '').n)).toEqual(['head', 'later']);
      const dueAt =
        Number(batch[1]?.Attributes?.SentTimestamp) +
        1000 * Number(batch[1]?.MessageAttributes?.['ferry-delay-seconds']?.StringValue);
      const ranAt: Array<{ n: string; early: boolean }> = [];
      const handler = async ({ n }: Body) => {
        ranAt.push({ n, early: Date.now() < dueAt });
        if (n === 'head') throw new TransientError('receiver answered 503');
        return undefined;
      };
      expect((await run(batch, queue, deadLetterUrl, handler, 3, skips).failed).sort()).toEqual(
        batch.map((m) => m.MessageId).sort(),
      );

      // Whatever the event source receives next, the continuation runs once, not before it is due,
      // and with its receives counted right (its held-back receive was its deferral).
      await waitFor('the continuation to run', async () => {
        const next = (await poll()).filter((m) => JSON.parse(m.Body ?? '').n === 'later');
        if (next.length > 0)
          expect(await run(next, queue, deadLetterUrl, handler, 1, skips).failed).toEqual([]);
        return ranAt.some((r) => r.n === 'later');
      });
      expect(ranAt).toEqual([
        { n: 'head', early: true },
        { n: 'later', early: false },
      ]);
    } finally {
      await state.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('dead-letters a record whose body is not JSON, unrun', async () => {
    const { queue, deadLetterUrl, poll, url } = await fresh();
    await sqs.client.send(
      new SendMessageCommand({
        QueueUrl: url,
        MessageBody: 'not json',
        MessageGroupId: 'g',
        MessageDeduplicationId: 'x',
      }),
    );
    const batch = await poll();
    const ran: string[] = [];
    const { failed } = run(batch, queue, deadLetterUrl, async ({ n }) => {
      ran.push(n);
      return undefined;
    });
    expect(await failed).toEqual([]);
    expect(ran).toEqual([]);
    expect((await queue.deadLetters()).map((d) => [d.body, d.reason])).toEqual([
      ['not json', 'the body is not JSON'],
    ]);
  });
});
