/**
 * What only the embedded store promises: its directory survives restarts and crashes, and
 * several processes (`ferry serve` writing, `ferry get` reading) can open it at once.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EMBEDDED_STATE_FILE, EmbeddedStateStore } from '../../lib/state/index.ts';
import type { Backend } from './backends.ts';
import { startEmbedded } from './backends.ts';

const storeModule = pathToFileURL(join(import.meta.dirname, '../../lib/state/index.ts')).href;

/** Runs an ES module in a child Node process, handing it its inputs through the environment. */
function child(source: string, env: Record<string, string>) {
  const proc = spawn(process.execPath, ['--input-type=module', '-e', source], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return { proc, lines: createInterface({ input: proc.stdout! }) };
}

describe('embedded state store', () => {
  let backend: Backend & { dir: string };
  let clock: number;

  beforeEach(async () => {
    backend = await startEmbedded();
    clock = Date.UTC(2030, 0, 1);
  });
  afterEach(async () => {
    await backend.close();
  });

  it('keeps every committed write across close and reopen', async () => {
    const first = backend.open(() => clock);
    for (let i = 0; i < 20; i++) await first.put(`status/item-${i}`, { i });
    await first.put('status/item-3', { i: 3, again: true });
    await first.close();

    const second = backend.open(() => clock);
    expect(await second.query('status/')).toHaveLength(20);
    expect(await second.get('status/item-3')).toEqual({
      key: 'status/item-3',
      value: { i: 3, again: true },
      version: 2,
    });
    await second.close();
  });

  it('shares one directory between two open stores', async () => {
    const serve = backend.open(() => clock);
    const get = new EmbeddedStateStore({ dir: backend.dir, now: () => clock });
    try {
      await serve.put('status/a', 'from serve');
      expect((await get.get('status/a'))?.value).toBe('from serve');
      await get.put('status/a', 'from get', { ifVersion: 1 });
      expect(await serve.get('status/a')).toEqual({ key: 'status/a', value: 'from get', version: 2 });
      await expect(serve.put('status/a', 'stale', { ifVersion: 1 })).rejects.toThrow('state conflict');
    } finally {
      await serve.close();
      await get.close();
    }
  });

  it('loses nothing a killed writer had acknowledged', async () => {
    const writer = child(
      `const { EmbeddedStateStore } = await import(process.env.STORE_MODULE);
       const store = new EmbeddedStateStore({ dir: process.env.STATE_DIR });
       for (let i = 0; ; i++) {
         await store.put('acks/' + String(i).padStart(6, '0'), { i, pad: 'x'.repeat(1000) });
         process.stdout.write(i + '\\n');
       }`,
      { STORE_MODULE: storeModule, STATE_DIR: backend.dir },
    );
    let acknowledged = -1;
    for await (const line of writer.lines) {
      acknowledged = Number(line);
      if (acknowledged >= 200) break;
    }
    writer.proc.kill('SIGKILL');
    await once(writer.proc, 'exit');

    const store = backend.open(() => clock);
    const items = await store.query('acks/');
    expect(items.length).toBeGreaterThanOrEqual(acknowledged + 1);
    expect(items.slice(0, acknowledged + 1).map((item) => (item.value as { i: number }).i)).toEqual(
      Array.from({ length: acknowledged + 1 }, (_, i) => i),
    );
    await store.close();
  });

  it('waits for another process that holds the write lock instead of failing', async () => {
    const store = backend.open(() => clock);
    await store.put('locks/created', true);
    const holder = child(
      `const { DatabaseSync } = await import('node:sqlite');
       const db = new DatabaseSync(process.env.DB);
       db.exec('BEGIN IMMEDIATE');
       db.exec("INSERT INTO items (key, value, version) VALUES ('locks/held', 'true', 1)");
       process.stdout.write('locked\\n');
       Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 700);
       db.exec('COMMIT');`,
      { DB: join(backend.dir, EMBEDDED_STATE_FILE) },
    );
    for await (const line of holder.lines) if (line === 'locked') break;
    const started = Date.now();
    await store.put('locks/mine', true);
    expect(Date.now() - started).toBeGreaterThan(300);
    expect((await store.get('locks/held'))?.value).toBe(true);
    await once(holder.proc, 'exit');
    await store.close();
  });

  it('sweeps expired rows on a later write, at most once a minute', async () => {
    const store = backend.open(() => clock);
    await store.put('events/old', 'old', { ttlSeconds: 30 });
    clock += 31_000;
    await store.put('events/new', 'new');
    expect(await backend.records('events')).toEqual(['events new', 'events old']);
    clock += 60_000;
    await store.put('events/newer', 'newer');
    expect(await backend.records('events')).toEqual(['events new', 'events newer']);
    await store.close();
  });
});
