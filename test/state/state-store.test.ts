/**
 * The StateStore contract, run against both adapters: the embedded store in a temporary
 * directory and the DynamoDB store against DynamoDB Local.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { StateStore } from '../../lib/state/index.ts';
import { StateConflictError, StateKeyError, StateValueError } from '../../lib/state/index.ts';
import type { Backend } from './backends.ts';
import { startDynamoDb, startEmbedded } from './backends.ts';
import { randomDocument, tagList } from './documents.ts';

const adapters: { name: string; start: () => Promise<Backend> }[] = [
  { name: 'embedded', start: startEmbedded },
  { name: 'dynamodb', start: startDynamoDb },
];

const START = Date.UTC(2030, 0, 1);
let partitions = 0;

describe.each(adapters)('$name state store', ({ start }) => {
  let backend: Backend;
  let store: StateStore;
  let clock: number;
  /** A partition of its own for each test, so tests share one backing store without meeting. */
  let p: string;

  beforeAll(async () => {
    backend = await start();
  });
  afterAll(async () => {
    await backend?.close();
  });
  beforeEach(() => {
    clock = START;
    store = backend.open(() => clock);
    p = `t${++partitions}`;
  });
  afterEach(async () => {
    await store.close();
  });

  it('stores, reads and deletes a value', async () => {
    expect(await store.get(`${p}/a`)).toBeUndefined();
    expect(await store.put(`${p}/a`, { ready: true })).toEqual({
      key: `${p}/a`,
      value: { ready: true },
      version: 1,
    });
    expect(await store.get(`${p}/a`)).toEqual({ key: `${p}/a`, value: { ready: true }, version: 1 });
    expect(await store.delete(`${p}/a`)).toBe(true);
    expect(await store.get(`${p}/a`)).toBeUndefined();
    expect(await store.delete(`${p}/a`)).toBe(false);
  });

  it('counts versions up from 1 with every put, and from 1 again after a delete', async () => {
    const versions = [];
    for (const value of ['a', 'b', 'c']) versions.push((await store.put(`${p}/k`, value)).version);
    expect(versions).toEqual([1, 2, 3]);
    expect((await store.get(`${p}/k`))?.version).toBe(3);
    await store.delete(`${p}/k`);
    expect((await store.put(`${p}/k`, 'd')).version).toBe(1);
  });

  it('refuses a put whose ifVersion is stale, and takes one that is current', async () => {
    await store.put(`${p}/k`, 'one');
    await store.put(`${p}/k`, 'two');
    await expect(store.put(`${p}/k`, 'late', { ifVersion: 1 })).rejects.toThrow(StateConflictError);
    expect((await store.get(`${p}/k`))?.value).toBe('two');
    expect((await store.put(`${p}/k`, 'three', { ifVersion: 2 })).version).toBe(3);
    await expect(store.put(`${p}/missing`, 'x', { ifVersion: 1 })).rejects.toThrow(StateConflictError);
  });

  it('refuses ifAbsent when a live item has the key', async () => {
    expect((await store.put(`${p}/k`, 'first', { ifAbsent: true })).version).toBe(1);
    await expect(store.put(`${p}/k`, 'second', { ifAbsent: true })).rejects.toThrow(StateConflictError);
    expect((await store.get(`${p}/k`))?.value).toBe('first');
  });

  it('deletes only the version named by ifVersion', async () => {
    await store.put(`${p}/k`, 'one');
    await store.put(`${p}/k`, 'two');
    await expect(store.delete(`${p}/k`, { ifVersion: 1 })).rejects.toThrow(StateConflictError);
    expect((await store.get(`${p}/k`))?.value).toBe('two');
    expect(await store.delete(`${p}/k`, { ifVersion: 2 })).toBe(true);
    await expect(store.delete(`${p}/k`, { ifVersion: 2 })).rejects.toThrow(StateConflictError);
  });

  it('hides an item from get and query the moment its TTL runs out', async () => {
    const put = await store.put(`${p}/event`, { reason: 'Progressing' }, { ttlSeconds: 60 });
    expect(put.expiresAt).toBe(START + 60_000);
    await store.put(`${p}/kept`, 'forever');

    clock = START + 59_999;
    expect((await store.get(`${p}/event`))?.expiresAt).toBe(START + 60_000);
    expect((await store.query(`${p}/`)).map((item) => item.key)).toEqual([`${p}/event`, `${p}/kept`]);

    clock = START + 60_000;
    expect(await store.get(`${p}/event`)).toBeUndefined();
    expect((await store.query(`${p}/`)).map((item) => item.key)).toEqual([`${p}/kept`]);
    await expect(store.put(`${p}/event`, 'x', { ifVersion: 1 })).rejects.toThrow(StateConflictError);
    await expect(store.delete(`${p}/event`, { ifVersion: 1 })).rejects.toThrow(StateConflictError);
    expect(await store.delete(`${p}/event`)).toBe(false);
  });

  it('treats an expired item as absent when writing', async () => {
    await store.put(`${p}/a`, 'old', { ttlSeconds: 1 });
    await store.put(`${p}/a`, 'old again', { ttlSeconds: 1 });
    await store.put(`${p}/b`, 'old', { ttlSeconds: 1 });
    clock += 1_000;
    expect(await store.put(`${p}/a`, 'new', { ifAbsent: true })).toEqual({
      key: `${p}/a`,
      value: 'new',
      version: 1,
    });
    expect((await store.put(`${p}/b`, 'new')).version).toBe(1);
    expect((await store.get(`${p}/a`))?.expiresAt).toBeUndefined();
  });

  it('round-trips a 2 MB value, replaces it with a small one and deletes it without leftovers', async () => {
    const big = randomDocument(2 * 1024 * 1024, 1);
    expect(JSON.stringify(big).length).toBeGreaterThan(2 * 1024 * 1024);
    await store.put(`${p}/digests`, big);
    expect((await store.get(`${p}/digests`))?.value).toEqual(big);

    expect((await store.put(`${p}/digests`, { images: [] })).version).toBe(2);
    expect(await store.get(`${p}/digests`)).toEqual({
      key: `${p}/digests`,
      value: { images: [] },
      version: 2,
    });
    expect(await backend.records(p)).toEqual([`${p} digests`]);

    await store.put(`${p}/digests`, big);
    expect(await store.delete(`${p}/digests`)).toBe(true);
    expect(await backend.records(p)).toEqual([]);
  });

  it('round-trips the tag list of an image with 50,000 tags', async () => {
    const tags = tagList(50_000);
    await store.put(`${p}/registry.example.com/team/app`, tags);
    const read = await store.get<typeof tags>(`${p}/registry.example.com/team/app`);
    expect(read?.value.tags).toHaveLength(50_000);
    expect(read?.value).toEqual(tags);
  });

  it('answers a prefix query with live items under the prefix, in key order', async () => {
    for (const key of ['b/2', 'a', 'b/1', 'c', 'ba']) await store.put(`${p}/${key}`, key);
    await store.put(`${p}/b/3`, 'gone soon', { ttlSeconds: 1 });
    await store.put(`${p}x/b/1`, 'a neighbouring partition');
    clock += 1_000;

    const keys = async (prefix: string, limit?: number) =>
      (await store.query(prefix, limit === undefined ? {} : { limit })).map((item) => item.key);
    expect(await keys(`${p}/`)).toEqual(['a', 'b/1', 'b/2', 'ba', 'c'].map((k) => `${p}/${k}`));
    expect(await keys(`${p}/b/`)).toEqual([`${p}/b/1`, `${p}/b/2`]);
    expect(await keys(`${p}/b`)).toEqual([`${p}/b/1`, `${p}/b/2`, `${p}/ba`]);
    expect(await keys(`${p}/`, 2)).toEqual([`${p}/a`, `${p}/b/1`]);
    expect(await keys(`${p}/`, 0)).toEqual([]);
    expect(await keys(`${p}/z`)).toEqual([]);
    expect((await store.query(`${p}/b/1`))[0]).toEqual({ key: `${p}/b/1`, value: 'b/1', version: 1 });
  });

  it('never returns the pieces of a large value from a prefix query', async () => {
    const big = randomDocument(2 * 1024 * 1024, 2);
    await store.put(`${p}/big`, big);
    await store.put(`${p}/small`, 'small');
    const items = await store.query(`${p}/`);
    expect(items.map((item) => item.key)).toEqual([`${p}/big`, `${p}/small`]);
    expect(items[0]?.value).toEqual(big);
  });

  it('pages through a prefix query whose items add up to more than 1 MB', async () => {
    const values = Array.from({ length: 24 }, (_, i) => randomDocument(100 * 1024, 100 + i));
    await Promise.all(values.map((value, i) => store.put(`${p}/page/${String(i).padStart(2, '0')}`, value)));
    const items = await store.query(`${p}/page/`);
    expect(items.map((item) => item.key)).toEqual(
      values.map((_, i) => `${p}/page/${String(i).padStart(2, '0')}`),
    );
    expect(items.map((item) => item.value)).toEqual(values);
    expect(await store.query(`${p}/page/`, { limit: 20 })).toHaveLength(20);
  });

  it.each([
    ['a key without a partition', (s: StateStore) => s.get('no-partition')],
    ['a key with an empty partition', (s: StateStore) => s.put('/x', 1)],
    ['a key that names only the partition', (s: StateStore) => s.get('status/')],
    ['an empty key', (s: StateStore) => s.delete('')],
    ['a key over the size limit', (s: StateStore) => s.put(`status/${'x'.repeat(960)}`, 1)],
    ['a prefix that cuts a partition short', (s: StateStore) => s.query('sta')],
  ])('refuses %s', async (_, call) => {
    await expect(call(store)).rejects.toThrow(StateKeyError);
  });

  it('refuses values and options that cannot work', async () => {
    await expect(store.put(`${p}/k`, undefined)).rejects.toThrow(StateValueError);
    await expect(store.put(`${p}/k`, () => 1)).rejects.toThrow(StateValueError);
    await expect(store.put(`${p}/k`, 1, { ifAbsent: true, ifVersion: 1 })).rejects.toThrow(TypeError);
    await expect(store.put(`${p}/k`, 1, { ttlSeconds: 0 })).rejects.toThrow(RangeError);
    expect(await store.get(`${p}/k`)).toBeUndefined();
  });

  it('lets exactly one of many concurrent conditional writers win', async () => {
    const other = backend.open(() => clock);
    try {
      await store.put(`${p}/k`, 'start');
      const writers = Array.from({ length: 8 }, (_, i) =>
        (i % 2 === 0 ? store : other).put(`${p}/k`, `writer ${i}`, { ifVersion: 1 }),
      );
      const results = await Promise.allSettled(writers);
      const won = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
      expect(won).toHaveLength(1);
      for (const r of results)
        if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(StateConflictError);
      expect(await other.get(`${p}/k`)).toEqual({ key: `${p}/k`, value: won[0]?.value, version: 2 });

      const creators = await Promise.allSettled(
        Array.from({ length: 6 }, (_, i) => (i % 2 ? store : other).put(`${p}/new`, i, { ifAbsent: true })),
      );
      expect(creators.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    } finally {
      await other.close();
    }
  });

  it('keeps the winner whole when writers of large values race', async () => {
    await store.put(`${p}/k`, 'start');
    const values = [11, 12, 13].map((seed) => randomDocument(1024 * 1024, seed));
    const results = await Promise.allSettled(values.map((v) => store.put(`${p}/k`, v, { ifVersion: 1 })));
    const winner = results.findIndex((r) => r.status === 'fulfilled');
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect((await store.get(`${p}/k`))?.value).toEqual(values[winner]);
    expect(await store.delete(`${p}/k`)).toBe(true);
    expect(await backend.records(p)).toEqual([]);
  });

  it('answers ping', async () => {
    await expect(store.ping()).resolves.toBeUndefined();
  });
});
