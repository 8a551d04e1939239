import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FluxEvent } from '../../lib/jobs/event.ts';
import { admitEvent, DEDUPE_WINDOW_SECONDS, eventKey } from '../../lib/notify/index.ts';
import { EmbeddedStateStore } from '../../lib/state/index.ts';

const base: FluxEvent = {
  involvedObject: { kind: 'Kustomization', namespace: 'flux-system', name: 'apps' },
  severity: 'error',
  reason: 'HealthCheckFailed',
  message: 'Deployment/apps/web not ready',
  metadata: { revision: 'main@sha1:1' },
  timestamp: '2026-03-01T12:00:00.000Z',
  reportingController: 'ferry',
};

const at = (ms: number): FluxEvent => ({ ...base, timestamp: new Date(ms).toISOString() });

describe('event key', () => {
  it.each([
    { label: 'another timestamp', other: { timestamp: '2026-03-01T12:04:00.000Z' }, same: true },
    { label: 'another severity and reason', other: { severity: 'info', reason: 'Progressing' }, same: true },
    {
      label: 'metadata other than revision and token',
      other: { metadata: { revision: 'main@sha1:1', took: '3s' } },
      same: true,
    },
    { label: 'another revision', other: { metadata: { revision: 'main@sha1:2' } }, same: false },
    { label: 'a token', other: { metadata: { revision: 'main@sha1:1', token: 't' } }, same: false },
    { label: 'another message', other: { message: 'Deployment/apps/api not ready' }, same: false },
    {
      label: 'another name',
      other: { involvedObject: { ...base.involvedObject, name: 'web' } },
      same: false,
    },
    {
      label: 'another namespace',
      other: { involvedObject: { ...base.involvedObject, namespace: 'prod' } },
      same: false,
    },
    {
      label: 'another kind',
      other: { involvedObject: { ...base.involvedObject, kind: 'HelmRelease' } },
      same: false,
    },
  ] as const)('$label: same key is $same', ({ other, same }) => {
    expect(eventKey({ ...base, ...other } as FluxEvent) === eventKey(base)).toBe(same);
    expect(eventKey(base)).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('dedupe window', () => {
  let dir: string;
  let store: EmbeddedStateStore;
  let clock: number;
  const now = () => new Date(clock);

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ferry-dedupe-'));
    clock = Date.parse('2026-03-01T12:00:00Z');
    store = new EmbeddedStateStore({ dir, now: () => clock });
  });
  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('admits an event once per five minutes, and again once the window has passed', async () => {
    const start = clock;
    expect(await admitEvent(store, at(clock), now)).toBe(true);
    clock += 60_000;
    expect(await admitEvent(store, at(clock), now)).toBe(false);
    clock = start + DEDUPE_WINDOW_SECONDS * 1000 - 1;
    expect(await admitEvent(store, at(clock), now)).toBe(false);
    clock = start + DEDUPE_WINDOW_SECONDS * 1000;
    expect(await admitEvent(store, at(clock), now)).toBe(true);
    clock += 1000;
    expect(await admitEvent(store, at(clock), now)).toBe(false);
  });

  it('keeps windows apart for different events', async () => {
    expect(await admitEvent(store, base, now)).toBe(true);
    expect(await admitEvent(store, { ...base, metadata: { revision: 'main@sha1:2' } }, now)).toBe(true);
    expect(await admitEvent(store, { ...base, message: 'ready' }, now)).toBe(true);
    expect(await admitEvent(store, { ...base, timestamp: '2026-03-01T12:00:01.000Z' }, now)).toBe(false);
  });

  it('admits the very same event published twice, so a retried publish still reaches the queue', async () => {
    expect(await admitEvent(store, base, now)).toBe(true);
    clock += 10_000;
    expect(await admitEvent(store, structuredClone(base), now)).toBe(true);
    expect(await admitEvent(store, { ...base, reason: 'Other' }, now)).toBe(false);
  });

  it('keeps the window in state, where a second store over the same directory sees it', async () => {
    expect(await admitEvent(store, base, now)).toBe(true);
    const second = new EmbeddedStateStore({ dir, now: () => clock });
    try {
      expect(await admitEvent(second, at(clock + 1000), now)).toBe(false);
      const items = await second.query('alert-dedupe/');
      expect(items).toHaveLength(1);
      expect(items[0]?.key).toBe(`alert-dedupe/${eventKey(base)}`);
      expect(items[0]?.expiresAt).toBe(clock + DEDUPE_WINDOW_SECONDS * 1000);
    } finally {
      await second.close();
    }
  });
});
