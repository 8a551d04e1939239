import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConfigSet } from '../../lib/config/index.ts';
import { loadConfigFiles } from '../../lib/config/index.ts';
import { createApp, MAX_BODY_BYTES } from '../../lib/http/app.ts';
import { JobEnqueuer } from '../../lib/jobs/enqueuer.ts';
import { createMetrics } from '../../lib/observe/metrics.ts';
import type { JobQueueFactory } from '../../lib/queue/index.ts';
import { EmbeddedJobQueueFactory } from '../../lib/queue/index.ts';
import { RECEIVER_HANDLERS, ReceiverIndex, receiverDigest } from '../../lib/receivers/index.ts';
import type { StateStore } from '../../lib/state/index.ts';
import { EmbeddedStateStore } from '../../lib/state/index.ts';
import { captureLogs } from '../support/log-capture.ts';

const TOKEN = 's3cr3t-receiver-token';

const CONFIG = `
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: { name: fleet }
spec: { interval: 5m, url: https://git.example.com/fleet.git, ref: { branch: main } }
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: { name: apps, labels: { tier: apps } }
spec: { interval: 10m, path: ./apps, prune: true, sourceRef: { kind: GitRepository, name: fleet } }
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: { name: web, labels: { tier: apps } }
spec: { interval: 10m, path: ./web, prune: true, sourceRef: { kind: GitRepository, name: fleet } }
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: { name: infra, labels: { tier: infra } }
spec: { interval: 10m, path: ./infra, prune: true, sourceRef: { kind: GitRepository, name: fleet } }
---
apiVersion: v1
kind: Secret
metadata: { name: webhook-token }
stringData: { token: ${TOKEN} }
---
apiVersion: notification.toolkit.fluxcd.io/v1
kind: Receiver
metadata: { name: generic }
spec:
  type: generic
  secretRef: { name: webhook-token }
  resources:
    - { kind: GitRepository, name: fleet }
    - { kind: Kustomization, name: '*', matchLabels: { tier: apps } }
---
apiVersion: notification.toolkit.fluxcd.io/v1
kind: Receiver
metadata: { name: paused }
spec:
  type: generic
  suspend: true
  secretRef: { name: webhook-token }
  resources: [{ kind: GitRepository, name: fleet }]
---
apiVersion: notification.toolkit.fluxcd.io/v1
kind: Receiver
metadata: { name: unverified }
spec:
  type: cdevents
  secretRef: { name: webhook-token }
  resources: [{ kind: GitRepository, name: fleet }]
`;

const hook = (name: string) => `/hook/${receiverDigest(TOKEN, name, 'flux-system')}`;

describe('http app', () => {
  let dir: string;
  let state: StateStore;
  let queues: JobQueueFactory;
  let config: ConfigSet;
  let logs: ReturnType<typeof captureLogs>;
  let loaded: boolean;

  const build = () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const enqueuer = new JobEnqueuer(queues);
    const receivers = ReceiverIndex.fromConfig(config);
    const app = createApp({
      current: () => (loaded ? { config, receivers } : undefined),
      state,
      enqueuer,
      metrics,
      log: logs.log,
      receiverHandlers: RECEIVER_HANDLERS,
    });
    return { app, enqueuer, metrics };
  };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ferry-http-'));
    state = new EmbeddedStateStore({ dir });
    queues = new EmbeddedJobQueueFactory({ dir });
    config = loadConfigFiles([{ path: 'config.yaml', content: CONFIG }]);
    logs = captureLogs();
    loaded = true;
  });

  afterEach(async () => {
    await queues.close();
    await state.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('answers health and readiness', async () => {
    const { app } = build();
    expect((await app.request('/healthz')).status).toBe(200);
    const ready = await app.request('/readyz');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      status: 'ready',
      checks: { config: 'ok', state: 'ok', queue: 'ok' },
    });
  });

  it('is not ready before a config is loaded, and says which check failed', async () => {
    loaded = false;
    const { app } = build();
    const ready = await app.request('/readyz');
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { checks: Record<string, string> }).checks.config).toBe('not loaded');
  });

  it('turns a generic webhook into reconcile jobs for its resources, labels included', async () => {
    const { app, enqueuer } = build();
    const response = await app.request(hook('generic'), { method: 'POST', body: '{}' });
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ message: 'reconcile requested for 3 object(s)', jobs: 3 });

    const sync = await enqueuer.queue('sync-source').receive({ max: 10 });
    const apply = await enqueuer.queue('apply').receive({ max: 10 });
    expect(sync.map((m) => m.body)).toEqual([
      { kind: 'sync-source', gitRepository: { namespace: 'flux-system', name: 'fleet' } },
    ]);
    expect(
      apply.map((m) => m.body).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
    ).toEqual([
      { kind: 'apply', kustomization: { namespace: 'flux-system', name: 'apps' } },
      { kind: 'apply', kustomization: { namespace: 'flux-system', name: 'web' } },
    ]);
  });

  it('answers 404 for a path no Receiver has, and 503 for a suspended Receiver', async () => {
    const { app } = build();
    expect((await app.request(`/hook/${'0'.repeat(64)}`, { method: 'POST' })).status).toBe(404);
    expect((await app.request('/hook/not-hex', { method: 'POST' })).status).toBe(404);
    expect((await app.request(hook('paused'), { method: 'POST' })).status).toBe(503);
  });

  it('answers 501 for a sender type this build does not verify, rather than trusting it', async () => {
    const { app, enqueuer } = build();
    const response = await app.request(hook('unverified'), { method: 'POST', body: '{}' });
    expect(response.status).toBe(501);
    expect((await enqueuer.queue('sync-source').stats()).visible).toBe(0);
  });

  it('refuses bodies over 3 MiB with 413, declared or streamed', async () => {
    const { app, enqueuer } = build();
    const big = new Uint8Array(MAX_BODY_BYTES + 1);
    const declared = await app.request(hook('generic'), {
      method: 'POST',
      body: big,
      headers: { 'content-length': String(big.length) },
    });
    expect(declared.status).toBe(413);
    const stream = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 4; i++) controller.enqueue(new Uint8Array(1024 * 1024));
        controller.close();
      },
    });
    const streamed = await app.request(hook('generic'), {
      method: 'POST',
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect((await enqueuer.queue('sync-source').stats()).visible).toBe(0);
  });

  it('counts webhooks by receiver type and status, and reports queue depth, in /metrics', async () => {
    const { app, enqueuer, metrics } = build();
    metrics.watchQueues([enqueuer.queue('apply')]);
    await app.request(hook('generic'), { method: 'POST' });
    await app.request(hook('generic'), { method: 'POST' });
    await app.request(`/hook/${'0'.repeat(64)}`, { method: 'POST' });
    const text = await (await app.request('/metrics')).text();
    expect(text).toContain('ferry_webhook_requests_total{type="generic",status="202"} 2');
    expect(text).toContain('ferry_webhook_requests_total{type="unknown",status="404"} 1');
    expect(text).toContain('ferry_queue_depth{queue="apply",state="visible"} 4');
  });

  it('logs each request with an id but never the webhook path or the token', async () => {
    const { app } = build();
    const response = await app.request(hook('generic'), { method: 'POST' });
    const id = response.headers.get('x-request-id');
    expect(id).toMatch(/\w{8,}/);
    const line = logs.lines().find((l) => l.msg === 'request');
    expect(line).toMatchObject({ requestId: id, method: 'POST', status: 202 });
    expect(logs.text()).not.toContain(receiverDigest(TOKEN, 'generic', 'flux-system'));
    expect(logs.text()).not.toContain(TOKEN);
  });

  it('keeps the webhook path out of the log when a sender mistypes the URL around it', async () => {
    const { app } = build();
    const digest = receiverDigest(TOKEN, 'generic', 'flux-system');
    for (const path of [`//hook/${digest}`, `/ferry/hook/${digest}`, `/hook//${digest}`]) {
      const response = await app.request(`http://localhost${path}`, { method: 'POST' });
      expect(response.status, path).toBe(404);
    }
    expect(logs.lines().filter((l) => l.msg === 'request')).toHaveLength(3);
    expect(logs.text()).not.toContain(digest.slice(6));
  });
});
