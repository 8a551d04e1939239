import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EmbeddedJobQueueFactory } from '../../lib/queue/index.ts';
import { lockStateDirectory, StateDirectoryLockedError } from '../../lib/runtime/serve-lock.ts';

describe('one ferry serve per state directory', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ferry-lock-'));
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('refuses a directory another live process holds, naming it', async () => {
    await writeFile(join(dir, 'serve.lock'), String(process.ppid));
    expect(() => lockStateDirectory(dir)).toThrow(StateDirectoryLockedError);
    expect(() => lockStateDirectory(dir)).toThrow(`another ferry serve (pid ${process.ppid})`);
  });

  it('takes over the lock of a process that is gone, and releases it', async () => {
    await writeFile(join(dir, 'serve.lock'), '2147483646');
    const lock = lockStateDirectory(dir);
    expect(await readFile(join(dir, 'serve.lock'), 'utf8')).toBe(String(process.pid));
    lock.release();
    await expect(readFile(join(dir, 'serve.lock'))).rejects.toThrow(/ENOENT/);
  });

  it('gives back deliveries a dead process left in flight', async () => {
    const crashed = new EmbeddedJobQueueFactory({ dir });
    const queue = crashed.open('apply');
    await queue.send({ n: 1 }, { group: 'g', dedupeId: 'a' });
    expect(await queue.receive({ visibilitySeconds: 300 })).toHaveLength(1);
    await crashed.close();

    const next = new EmbeddedJobQueueFactory({ dir });
    expect(await next.open('apply').receive()).toEqual([]);
    expect(next.recoverInFlight()).toBe(1);
    const [again] = await next.open('apply').receive();
    expect(again).toMatchObject({ body: { n: 1 }, receiveCount: 2 });
    await next.close();
  });
});
