import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConfigSet } from '../../lib/config/index.ts';
import { loadConfigFiles } from '../../lib/config/index.ts';
import { attachAlerts } from '../../lib/jobs/alert-dispatch.ts';
import { JobEnqueuer } from '../../lib/jobs/enqueuer.ts';
import type { FluxEvent, InvolvedObject } from '../../lib/jobs/event.ts';
import { EventBus } from '../../lib/jobs/event-bus.ts';
import type { Job } from '../../lib/jobs/job.ts';
import { EmbeddedJobQueueFactory } from '../../lib/queue/index.ts';
import { EmbeddedStateStore } from '../../lib/state/index.ts';
import { captureLogs } from '../support/log-capture.ts';

const providers = ['chat', 'pager']
  .map(
    (name) => `apiVersion: notification.toolkit.fluxcd.io/v1beta3
kind: Provider
metadata: { name: ${name} }
spec: { type: generic, address: http://127.0.0.1:1/${name} }
`,
  )
  .join('---\n');

const alert = (name: string, provider: string, sources: string) => `---
apiVersion: notification.toolkit.fluxcd.io/v1beta3
kind: Alert
metadata: { name: ${name} }
spec: { providerRef: { name: ${provider} }, eventSources: ${sources} }
`;

const configOf = (...alerts: string[]): ConfigSet =>
  loadConfigFiles([{ path: 'alerts.yaml', content: providers + alerts.join('') }]);

const apps: InvolvedObject = { kind: 'Kustomization', namespace: 'flux-system', name: 'apps' };

describe('alert dispatch', () => {
  let dir: string;
  let clock: number;
  let state: EmbeddedStateStore;
  let queues: EmbeddedJobQueueFactory;
  let enqueuer: JobEnqueuer;
  let bus: EventBus;
  let config: ConfigSet;
  let logs: ReturnType<typeof captureLogs>;
  let detach: () => void;
  const now = () => new Date(clock);

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ferry-dispatch-'));
    clock = Date.parse('2026-03-01T12:00:00Z');
    state = new EmbeddedStateStore({ dir, now: () => clock });
    queues = new EmbeddedJobQueueFactory({ dir, now: () => clock });
    enqueuer = new JobEnqueuer(queues);
    logs = captureLogs();
    bus = new EventBus(state, { now, log: logs.log });
    config = configOf(
      alert('everything', 'chat', "[{ kind: Kustomization, name: '*' }]"),
      alert('apps-to-chat', 'chat', '[{ kind: Kustomization, name: apps }]'),
      alert('apps-to-pager', 'pager', '[{ kind: Kustomization, name: apps }]'),
    );
    detach = attachAlerts(bus, { config: () => config, enqueuer, state, log: logs.log, now });
  });

  afterEach(async () => {
    detach();
    await queues.close();
    await state.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** Every notify job waiting, in queue order, with its group. */
  const drain = async (): Promise<{ group: string; alert: string; event: FluxEvent }[]> => {
    const queue = enqueuer.queue('notify');
    const out: { group: string; alert: string; event: FluxEvent }[] = [];
    for (;;) {
      const messages = await queue.receive({ max: 10, waitSeconds: 0 });
      if (messages.length === 0) return out;
      for (const m of messages) {
        const job = m.body as Extract<Job, { kind: 'notify' }>;
        out.push({ group: m.group, alert: `${job.alert.namespace}/${job.alert.name}`, event: job.event });
        await queue.ack(m.receipt);
      }
    }
  };
  const publish = async (message = 'applied', metadata: Record<string, string> = {}) => {
    const event = bus.event(apps, 'info', 'ReconciliationSucceeded', message, metadata);
    await bus.publish(event);
    return event;
  };

  it('enqueues one notify job per matching Alert, grouped by Provider, carrying the event', async () => {
    const event = await publish('applied', { revision: 'main@sha1:1' });
    const jobs = await drain();
    expect(
      jobs.map(({ group, alert }) => ({ group, alert })).sort((a, b) => a.alert.localeCompare(b.alert)),
    ).toEqual([
      { group: 'Provider/flux-system/chat', alert: 'flux-system/apps-to-chat' },
      { group: 'Provider/flux-system/pager', alert: 'flux-system/apps-to-pager' },
      { group: 'Provider/flux-system/chat', alert: 'flux-system/everything' },
    ]);
    for (const job of jobs) expect(job.event).toEqual(event);
  });

  it('sends an identical event once per five minutes, whatever its timestamp', async () => {
    await publish();
    expect(await drain()).toHaveLength(3);
    clock += 299_000;
    await publish();
    expect(await drain()).toHaveLength(0);
    await publish('applied again');
    expect(await drain()).toHaveLength(3);
    clock += 1_000;
    await publish();
    expect(await drain()).toHaveLength(3);
  });

  it('queues the same event published twice only once', async () => {
    const event = bus.event(apps, 'error', 'HealthCheckFailed', 'not ready');
    await bus.publish(event);
    await bus.publish(event);
    expect(await drain()).toHaveLength(3);
  });

  it('writes nothing for an event no Alert matches', async () => {
    await bus.publish(bus.event({ ...apps, kind: 'GitRepository' }, 'info', 'NewArtifact', 'stored'));
    expect(await drain()).toEqual([]);
    expect(await state.query('alert-dedupe/')).toEqual([]);
  });

  it('follows the config in force when the event is published', async () => {
    config = configOf(alert('only-pager', 'pager', "[{ kind: Kustomization, name: '*' }]"));
    await publish();
    expect((await drain()).map((j) => j.alert)).toEqual(['flux-system/only-pager']);
  });

  it('never fails the publisher: a broken queue is logged, and the event is still recorded', async () => {
    await queues.close();
    await expect(publish()).resolves.toBeDefined();
    expect(
      logs.lines().find((l) => l.msg === 'alert dispatch failed; the event sent no alert'),
    ).toMatchObject({
      level: 'error',
      event: { object: 'Kustomization/flux-system/apps', reason: 'ReconciliationSucceeded' },
    });
    expect(await bus.recent()).toHaveLength(1);
    queues = new EmbeddedJobQueueFactory({ dir, now: () => clock });
  });

  it('stops dispatching once detached', async () => {
    detach();
    await publish();
    expect(await drain()).toEqual([]);
  });
});
