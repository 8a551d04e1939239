import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventBus } from '../../lib/jobs/event-bus.ts';
import { EmbeddedStateStore } from '../../lib/state/index.ts';
import { captureLogs } from '../support/log-capture.ts';

const apps = { kind: 'Kustomization', namespace: 'flux-system', name: 'apps' };
const fleet = { kind: 'GitRepository', namespace: 'flux-system', name: 'fleet' };

describe('event bus', () => {
  let dir: string;
  let store: EmbeddedStateStore;
  let clock: number;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ferry-events-'));
    clock = Date.parse('2026-03-01T12:00:00Z');
    store = new EmbeddedStateStore({ dir, now: () => clock });
  });
  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('builds Flux-shaped events and keeps them for `recent`, filtered by object', async () => {
    const bus = new EventBus(store, { now: () => new Date(clock) });
    await bus.publish(
      bus.event(apps, 'info', 'ReconciliationSucceeded', 'applied', { revision: 'main@sha1:abc' }),
    );
    clock += 1000;
    await bus.publish(bus.event(fleet, 'error', 'GitOperationFailed', 'auth failed'));
    expect(await bus.recent({ about: { kind: 'kustomization', name: 'apps' } })).toEqual([
      {
        involvedObject: apps,
        severity: 'info',
        reason: 'ReconciliationSucceeded',
        message: 'applied',
        metadata: { revision: 'main@sha1:abc' },
        timestamp: '2026-03-01T12:00:00.000Z',
        reportingController: 'ferry',
      },
    ]);
    expect((await bus.recent()).map((e) => e.reason)).toEqual([
      'ReconciliationSucceeded',
      'GitOperationFailed',
    ]);
    expect((await bus.recent({ limit: 1 })).map((e) => e.reason)).toEqual(['GitOperationFailed']);
  });

  it('forgets events after the retention period', async () => {
    const bus = new EventBus(store, { retentionSeconds: 60, now: () => new Date(clock) });
    await bus.publish(bus.event(apps, 'info', 'Progressing', 'applying'));
    clock += 61_000;
    expect(await bus.recent()).toEqual([]);
  });

  it('hands events to subscribers, and a failing subscriber fails neither the publisher nor the others', async () => {
    const logs = captureLogs();
    const bus = new EventBus(store, { log: logs.log });
    const seen: string[] = [];
    bus.subscribe(() => {
      throw new Error('alert provider unreachable');
    });
    const unsubscribe = bus.subscribe((e) => {
      seen.push(e.reason);
    });
    await bus.publish(bus.event(apps, 'error', 'HealthCheckFailed', 'timeout'));
    unsubscribe();
    await bus.publish(bus.event(apps, 'info', 'ReconciliationSucceeded', 'ok'));
    expect(seen).toEqual(['HealthCheckFailed']);
    expect(logs.lines().filter((l) => l.msg === 'event subscriber failed')).toHaveLength(2);
  });

  it('keeps a recorded event for reading without handing it to subscribers, as Flux keeps trace events from Alerts', async () => {
    const bus = new EventBus(store);
    const seen: string[] = [];
    bus.subscribe((e) => {
      seen.push(e.reason);
    });
    await bus.record(bus.event(apps, 'info', 'ArtifactUpToDate', 'artifact up-to-date'));
    expect(seen).toEqual([]);
    expect((await bus.recent()).map((e) => e.reason)).toEqual(['ArtifactUpToDate']);
  });
});
