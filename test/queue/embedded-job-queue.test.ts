/**
 * What only the embedded queue promises beyond the shared contract: it lives on disk (a restart loses
 * nothing), several processes share one directory, and its clock can be pinned.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EmbeddedJobQueueFactory } from '../../lib/queue/embedded-job-queue.ts';
import { DEDUPE_WINDOW_SECONDS } from '../../lib/queue/job-queue.ts';

interface Job {
  n: string;
}

const root = join(import.meta.dirname, '..', '..');
let dir: string;
let open: EmbeddedJobQueueFactory[];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ferry-embedded-'));
  open = [];
});

afterEach(async () => {
  for (const factory of open) await factory.close();
  await rm(dir, { recursive: true, force: true });
});

function factoryAt(now?: () => number): EmbeddedJobQueueFactory {
  const factory = new EmbeddedJobQueueFactory(now ? { dir, now } : { dir });
  open.push(factory);
  return factory;
}

describe('embedded job queue', () => {
  it('keeps what was sent across a close and reopen', async () => {
    const before = factoryAt();
    const q = before.open<Job>('apply');
    await q.send({ n: 'a' }, { group: 'a', dedupeId: 'a' });
    await q.send({ n: 'b' }, { group: 'b', dedupeId: 'b' });
    await before.close();

    const got = await factoryAt().open<Job>('apply').receive({ max: 10 });
    expect(got.map((m) => m.body.n).sort()).toEqual(['a', 'b']);
  });

  it("gives back a crashed process's in-flight message after its visibility timeout", async () => {
    const crashed = factoryAt();
    await crashed.open<Job>('apply').send({ n: 'a' }, { group: 'a', dedupeId: 'a' });
    const [taken] = await crashed.open<Job>('apply').receive({ visibilitySeconds: 1 });
    await crashed.close();

    const q = factoryAt().open<Job>('apply');
    expect(await q.receive()).toEqual([]);
    const [back] = await q.receive({ waitSeconds: 3 });
    expect(back?.id).toBe(taken?.id);
    expect(back?.receiveCount).toBe(2);
  });

  it('hands a long-polling receiver a message another process sent within about a second', async () => {
    const q = factoryAt().open<Job>('apply');
    const receiving = q.receive({ waitSeconds: 15 }).then((got) => ({ got, at: Date.now() }));
    const child = spawn(
      join(root, 'node_modules/.bin/node'),
      [join(import.meta.dirname, 'fixtures/send-job.ts'), dir, 'apply', '{"n":"from-cli"}', 'cli-1'],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let sentId = '';
    child.stdout.on('data', (chunk: Buffer) => {
      sentId += chunk.toString();
    });
    const exitedAt = await new Promise<number>((resolve, reject) => {
      child.on('error', reject);
      child.on('exit', (code) =>
        code === 0 ? resolve(Date.now()) : reject(new Error(`send-job exited ${code}`)),
      );
    });
    const { got, at } = await receiving;
    expect(got.map((m) => [m.id, m.body.n])).toEqual([[sentId, 'from-cli']]);
    expect(at - exitedAt).toBeLessThan(1_000);
  });

  it('wakes a long-polling receiver at once for a send in the same process', async () => {
    const factory = factoryAt();
    const receiving = factory
      .open<Job>('apply')
      .receive({ waitSeconds: 15 })
      .then(() => performance.now());
    await new Promise((resolve) => setTimeout(resolve, 50));
    const sentAt = performance.now();
    await factory.open<Job>('apply').send({ n: 'a' }, { group: 'a', dedupeId: 'a' });
    expect((await receiving) - sentAt).toBeLessThan(100);
  });

  it('forgets a dedupeId once the five-minute window has passed', async () => {
    const clock = { now: Date.now() };
    const q = factoryAt(() => clock.now).open<Job>('apply');
    const first = await q.send({ n: 'first' }, { group: 'g', dedupeId: 'same' });
    await q.ack((await q.receive())[0]!.receipt);

    clock.now += (DEDUPE_WINDOW_SECONDS - 1) * 1000;
    expect((await q.send({ n: 'inside' }, { group: 'g', dedupeId: 'same' })).id).toBe(first.id);
    expect(await q.receive()).toEqual([]);

    clock.now += 2_000;
    const after = await q.send({ n: 'after' }, { group: 'g', dedupeId: 'same' });
    expect(after.id).not.toBe(first.id);
    expect((await q.receive()).map((m) => m.body.n)).toEqual(['after']);
  });

  it('counts messages waiting out a send delay or a retry backoff as delayed', async () => {
    const q = factoryAt().open<Job>('apply');
    await q.send({ n: 'later' }, { group: 'a', dedupeId: 'later', delaySeconds: 60 });
    await q.send({ n: 'now' }, { group: 'b', dedupeId: 'now' });
    const [now] = await q.receive();
    await q.retry(now!.receipt, 60);
    expect(await q.stats()).toEqual({ visible: 0, inFlight: 0, delayed: 2, deadLetters: 0 });
  });

  it('keeps the queues of one directory apart', async () => {
    const factory = factoryAt();
    await factory.open<Job>('apply').send({ n: 'a' }, { group: 'g', dedupeId: 'x' });
    await factory.open<Job>('notify').send({ n: 'n' }, { group: 'g', dedupeId: 'x' });
    expect((await factory.open<Job>('notify').receive({ max: 10 })).map((m) => m.body.n)).toEqual(['n']);
    expect((await factory.open<Job>('apply').receive({ max: 10 })).map((m) => m.body.n)).toEqual(['a']);
  });
});
