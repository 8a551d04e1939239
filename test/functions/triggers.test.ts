/**
 * The EventBridge-triggered functions: the per-minute schedule, each invocation a fresh runtime
 * with its schedule in DynamoDB, and the ECR push rule's events becoming scans.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ecrPushHandler } from '../../functions/ecr-push.ts';
import { scheduleHandler } from '../../functions/schedule.ts';
import type { Job, JobKind } from '../../lib/jobs/job.ts';
import { receiverDigest } from '../../lib/receivers/index.ts';
import type { AwsRuntime } from '../../lib/runtime/aws-runtime.ts';
import { captureLogs } from '../support/log-capture.ts';
import type { Harness } from './aws-harness.ts';
import { startHarness } from './aws-harness.ts';
import { ecrImageActionEvent, scheduledEvent } from './lambda-event-fixtures.ts';

describe('EventBridge functions', () => {
  let harness: Harness;
  const logs = captureLogs();

  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(async () => {
    await harness?.close();
  });

  const take = async (runtime: AwsRuntime, kind: JobKind): Promise<Job[]> => {
    const queue = runtime.enqueuer.queue(kind);
    const out: Job[] = [];
    for (;;) {
      const messages = await queue.receive({ max: 10, waitSeconds: 0 });
      if (messages.length === 0) return out;
      for (const m of messages) {
        out.push(m.body);
        await queue.ack(m.receipt);
      }
    }
  };

  it('records the objects and Receiver paths, and schedules each object on its interval across invocations that share nothing but the table', async () => {
    const fleet = await harness.git.createRepo('fleet');
    await harness.git.commitFiles(fleet, { 'apps/app.yaml': 'kind: ConfigMap\n' });
    await harness.git.commitFiles(harness.configRepo, {
      'clusters/schedule/config.yaml': `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: { name: fleet }
spec: { url: ${fleet.url}, interval: 1m, ref: { branch: main } }
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: { name: apps }
spec: { interval: 10m, path: ./apps, prune: true, sourceRef: { kind: GitRepository, name: fleet } }
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: { name: paused }
spec: { interval: 1m, path: ./apps, prune: true, suspend: true, sourceRef: { kind: GitRepository, name: fleet } }
---
apiVersion: notification.toolkit.fluxcd.io/v1
kind: Receiver
metadata: { name: hook }
spec: { type: generic, secretRef: { name: hook-token }, resources: [{ kind: GitRepository, name: fleet }] }
`,
    });
    harness.parameters.values.set(
      '/ferry/test/flux-system/hook-token',
      JSON.stringify({ token: 'hook-t0ken' }),
    );
    const env = await harness.environment({ configPath: 'clusters/schedule' });
    const start = Date.parse('2026-01-05T10:00:00Z');
    const tickAt = async (offsetMs: number) => {
      const runtime = harness.runtime(env, { log: logs.log, now: () => new Date(start + offsetMs) });
      const result = await scheduleHandler(() => runtime)(scheduledEvent(new Date(start + offsetMs)));
      return { runtime, enqueued: result.enqueued };
    };

    const first = await tickAt(0);
    expect(await first.runtime.state.get('objects/GitRepository/flux-system/fleet')).toBeDefined();
    const receiver = await first.runtime.status.read({
      kind: 'Receiver',
      namespace: 'flux-system',
      name: 'hook',
    });
    expect(receiver?.webhookPath).toBe(`/hook/${receiverDigest('hook-t0ken', 'hook', 'flux-system')}`);
    const second = await tickAt(60_000);
    expect([...first.enqueued, ...second.enqueued].sort()).toEqual([
      'GitRepository/flux-system/fleet',
      'Kustomization/flux-system/apps',
    ]);
    expect(await take(second.runtime, 'sync-source')).toEqual([
      { kind: 'sync-source', gitRepository: { namespace: 'flux-system', name: 'fleet' } },
    ]);
    expect(await take(second.runtime, 'apply')).toEqual([
      { kind: 'apply', kustomization: { namespace: 'flux-system', name: 'apps' } },
    ]);
    expect((await tickAt(61_000)).enqueued).toEqual([]);
    expect((await tickAt(130_000)).enqueued).toEqual(['GitRepository/flux-system/fleet']);
  });

  it('turns a successful tagged ECR push into one scan of that image with the tag as hint', async () => {
    const env = await harness.environment({ configPath: 'clusters/none' });
    const runtime = harness.runtime(env, { log: logs.log });
    const handler = ecrPushHandler(() => runtime);
    const push = ecrImageActionEvent(
      {
        'action-type': 'PUSH',
        result: 'SUCCESS',
        'repository-name': 'team/app',
        'image-tag': '1.2.3',
        'image-digest': 'sha256:0d6f2b4c2c9fe6e5c1a5cb6b2f4c1d4c0f0e6b8a1c7d2e3f4a5b6c7d8e9f0a1b',
      },
      { account: '210987654321', region: 'eu-central-1' },
    );
    expect(await handler(push)).toEqual({
      scans: ['210987654321.dkr.ecr.eu-central-1.amazonaws.com/team/app:1.2.3'],
    });
    await handler(push); // EventBridge delivers at least once: the same event is one scan.
    const ignored = [
      ecrImageActionEvent({
        'action-type': 'PUSH',
        result: 'FAILURE',
        'repository-name': 'team/app',
        'image-tag': '2.0.0',
      }),
      ecrImageActionEvent({
        'action-type': 'DELETE',
        result: 'SUCCESS',
        'repository-name': 'team/app',
        'image-tag': '1.2.3',
      }),
      ecrImageActionEvent({ 'action-type': 'PUSH', result: 'SUCCESS', 'repository-name': 'team/app' }),
    ];
    for (const event of ignored) expect(await handler(event)).toEqual({ scans: [] });
    expect(await take(runtime, 'scan-image')).toEqual([
      {
        kind: 'scan-image',
        image: '210987654321.dkr.ecr.eu-central-1.amazonaws.com/team/app',
        hintTag: '1.2.3',
      },
    ]);
  });
});
