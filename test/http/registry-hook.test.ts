import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ServerType, serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfigFiles } from '../../lib/config/index.ts';
import { createApp } from '../../lib/http/app.ts';
import { JobEnqueuer } from '../../lib/jobs/enqueuer.ts';
import { createMetrics } from '../../lib/observe/metrics.ts';
import { EmbeddedJobQueueFactory } from '../../lib/queue/index.ts';
import { RECEIVER_HANDLERS, ReceiverIndex, receiverDigest } from '../../lib/receivers/index.ts';
import { EmbeddedStateStore } from '../../lib/state/index.ts';
import { captureLogs } from '../support/log-capture.ts';
import { waitFor } from '../support/ports.ts';
import { type Registry, startRegistry } from '../support/registry.ts';

const TOKEN = 'registry-notification-token';

const CONFIG = `
apiVersion: v1
kind: Secret
metadata: { name: registry-token }
stringData: { token: ${TOKEN} }
---
apiVersion: notification.toolkit.fluxcd.io/v1
kind: Receiver
metadata: { name: registry }
spec:
  type: distribution
  secretRef: { name: registry-token }
  resources: []
`;

describe('a registry notifying ferry', () => {
  let dir: string;
  let queues: EmbeddedJobQueueFactory;
  let state: EmbeddedStateStore;
  let server: ServerType;
  let registry: Registry;
  let enqueuer: JobEnqueuer;
  const metrics = createMetrics({ defaultMetrics: false });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ferry-registry-hook-'));
    state = new EmbeddedStateStore({ dir });
    queues = new EmbeddedJobQueueFactory({ dir });
    enqueuer = new JobEnqueuer(queues);
    const config = loadConfigFiles([{ path: 'config.yaml', content: CONFIG }]);
    const receivers = ReceiverIndex.fromConfig(config);
    const app = createApp({
      current: () => ({ config, receivers }),
      state,
      enqueuer,
      metrics,
      log: captureLogs().log,
      receiverHandlers: RECEIVER_HANDLERS,
    });
    server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as AddressInfo;
    registry = await startRegistry({
      notifications: {
        url: `http://127.0.0.1:${port}/hook/${receiverDigest(TOKEN, 'registry', 'flux-system')}`,
        headers: { Authorization: [`Bearer ${TOKEN}`] },
      },
    });
  });

  afterAll(async () => {
    await registry?.close();
    await new Promise((resolve) => server?.close(resolve));
    await queues?.close();
    await state?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('turns a push into one scan-image job for the pushed tag, through POST /hook', async () => {
    await registry.pushImage('team/app', '1.2.3');
    const scans = enqueuer.queue('scan-image');
    await waitFor('a scan-image job', async () => (await scans.stats()).visible > 0, 10_000);
    const [message, ...rest] = await scans.receive({ max: 10 });
    expect(rest).toEqual([]);
    expect(message?.body).toEqual({
      kind: 'scan-image',
      image: `${registry.host}/team/app`,
      hintTag: '1.2.3',
    });
    // The layer pushes before it were answered too, with 202 and no job.
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/ferry_webhook_requests_total\{type="distribution",status="202"\} ([2-9]|\d\d)/);
  });
});
