/**
 * The embedded StateStore against the plainest durable alternative: one file per key, written
 * with open/write/fsync/close and read back with readFile. Same 1 KB JSON values, same keys, same
 * disk, same run. Both sides fsync every write: the store's WAL with synchronous=FULL fsyncs
 * once per commit, the baseline fsyncs once per file.
 *
 * The baseline uses the synchronous fs calls, its best case: the store is synchronous SQLite
 * under an async method, and the promise fs calls would add a thread-pool hop per operation
 * that the store does not pay.
 *
 * What to expect (and what this machine showed, 1.3x to 3.6x on puts, 0.9x on gets): a put costs
 * one fsync on both sides, but the store appends to one WAL file while the baseline creates a new
 * inode per key, whose fsync also commits the file system's journal; so the store wins puts by a
 * margin that depends on the disk. The baseline is also weaker than it looks: without an fsync of
 * the directory a crash can lose the new file's name. Batching commits would win puts by far, but
 * it trades durability per put for throughput and would be a separate API (e.g. `putMany`); this
 * measures the promise the port makes today. Gets come out at par or slightly behind: both are
 * served from the page cache, the baseline pays open/read/close, the store a B-tree walk, a row
 * object and a promise, and neither cost is worth shaving while a put costs an fsync.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { EmbeddedStateStore } from '../lib/state/index.ts';

const PUT_SECONDS = 3;
const GET_SECONDS = 1;

interface Rate {
  ops: number;
  seconds: number;
}

/** Runs `step(i)` for i = 0, 1, ... until the time is up or `max` steps ran. */
async function timed(seconds: number, max: number, step: (i: number) => unknown): Promise<Rate> {
  const start = performance.now();
  const deadline = start + seconds * 1000;
  let ops = 0;
  while (ops < max && performance.now() < deadline) {
    await step(ops);
    ops++;
  }
  return { ops, seconds: (performance.now() - start) / 1000 };
}

const perSecond = (rate: Rate) => rate.ops / rate.seconds;

/** A status-like JSON value of about 1 KB. */
function valueFor(i: number): { kind: string; name: string; revision: string; message: string } {
  const revision = `main@sha1:${i.toString(16).padStart(40, '0')}`;
  const message = `Applied revision ${revision} `.repeat(14).slice(0, 900);
  return { kind: 'Kustomization', name: `app-${i}`, revision, message };
}

export default async function stateBench(): Promise<void> {
  const parent = join(import.meta.dirname, '..', '.ferry');
  mkdirSync(parent, { recursive: true });
  const dir = await mkdtemp(join(parent, 'bench-state-'));
  const files = join(dir, 'files');
  mkdirSync(files);
  const store = new EmbeddedStateStore({ dir: join(dir, 'store') });
  try {
    const key = (i: number) => `bench/item-${String(i).padStart(7, '0')}`;
    const file = (i: number) => join(files, `item-${String(i).padStart(7, '0')}.json`);
    console.log(`value size: ${JSON.stringify(valueFor(0)).length} bytes of JSON`);

    const storePut = await timed(PUT_SECONDS, Number.POSITIVE_INFINITY, (i) =>
      store.put(key(i), valueFor(i)),
    );
    // The same number of writes on the baseline, so both sides end with the same data on disk.
    const filePut = await timed(Number.POSITIVE_INFINITY, storePut.ops, (i) => {
      const fd = openSync(file(i), 'w');
      try {
        writeSync(fd, JSON.stringify(valueFor(i)));
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    });

    const n = storePut.ops;
    const storeGet = await timed(GET_SECONDS, Number.POSITIVE_INFINITY, (i) =>
      store.get(key((i * 7919) % n)),
    );
    const fileGet = await timed(GET_SECONDS, Number.POSITIVE_INFINITY, (i) =>
      JSON.parse(readFileSync(file((i * 7919) % n), 'utf8')),
    );

    const rows = [
      ['put (durable)', perSecond(storePut), perSecond(filePut)],
      ['get', perSecond(storeGet), perSecond(fileGet)],
    ] as const;
    console.log(`${n} keys; each put is fsynced before it returns, on both sides`);
    console.log('| operation     | embedded store ops/s | file+fsync ops/s | ratio (store / files) |');
    console.log('|---------------|---------------------:|-----------------:|----------------------:|');
    for (const [name, ours, baseline] of rows) {
      console.log(
        `| ${name.padEnd(13)} | ${ours.toFixed(0).padStart(20)} | ${baseline.toFixed(0).padStart(16)} | ${`${(ours / baseline).toFixed(2)}x`.padStart(21)} |`,
      );
    }
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}
