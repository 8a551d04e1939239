import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfigFiles } from '../../lib/config/index.ts';
import { JobEnqueuer } from '../../lib/jobs/enqueuer.ts';
import { Scheduler } from '../../lib/jobs/scheduler.ts';
import { EmbeddedJobQueueFactory } from '../../lib/queue/index.ts';
import { captureLogs } from '../support/log-capture.ts';

const config = loadConfigFiles([
  {
    path: 'fleet.yaml',
    content: `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: { name: fleet }
spec: { interval: 1m, url: https://git.example.com/fleet.git }
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: { name: apps }
spec: { interval: 1m, path: ./apps, prune: true, sourceRef: { kind: GitRepository, name: fleet } }
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: { name: paused }
spec: { interval: 1m, suspend: true, path: ./paused, prune: true, sourceRef: { kind: GitRepository, name: fleet } }
---
apiVersion: image.toolkit.fluxcd.io/v1
kind: ImageRepository
metadata: { name: podinfo }
spec: { interval: 1m, image: ghcr.io/example/podinfo }
`,
  },
]);

describe('scheduler', () => {
  let dir: string;
  let queues: EmbeddedJobQueueFactory;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ferry-scheduler-'));
    queues = new EmbeddedJobQueueFactory({ dir });
  });
  afterEach(async () => {
    await queues.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('schedules only objects whose job has a consumer, leaving suspended ones out', async () => {
    let now = 0;
    const enqueuer = new JobEnqueuer(queues);
    const scheduler = new Scheduler({
      config: () => config,
      enqueuer,
      kinds: new Set(['apply', 'sync-source']),
      log: captureLogs().log,
      now: () => now,
      random: () => 0,
    });
    expect((await scheduler.tick()).sort()).toEqual([
      'GitRepository/flux-system/fleet',
      'Kustomization/flux-system/apps',
    ]);
    now += 30_000;
    expect(await scheduler.tick()).toEqual([]);
    now += 31_000;
    expect((await scheduler.tick()).sort()).toEqual([
      'GitRepository/flux-system/fleet',
      'Kustomization/flux-system/apps',
    ]);

    const apply = await enqueuer.queue('apply').receive({ max: 10 });
    expect(apply.map((m) => m.body)).toEqual([
      { kind: 'apply', kustomization: { namespace: 'flux-system', name: 'apps' } },
    ]);
    expect((await enqueuer.queue('apply').stats()).visible + apply.length).toBe(2);
    expect((await enqueuer.queue('scan-image').stats()).visible).toBe(0);
  });
});
