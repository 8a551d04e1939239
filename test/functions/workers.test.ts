/**
 * The queue worker functions driven with SQS FIFO batches as the Lambda event source hands them
 * over, against DynamoDB Local, the local SQS server and the git server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqsWorker } from '../../functions/sqs-worker.ts';
import { syncSourceHandlers } from '../../functions/sync-source.ts';
import { conditionOf } from '../../lib/jobs/status.ts';
import type { AwsRuntime } from '../../lib/runtime/aws-runtime.ts';
import { captureLogs } from '../support/log-capture.ts';
import { waitFor } from '../support/ports.ts';
import type { Harness } from './aws-harness.ts';
import { drain, lambdaContext, startHarness } from './aws-harness.ts';

const source = (name: string, url: string) => `---
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: { name: ${name} }
spec: { url: ${url}, interval: 10m, ref: { branch: main }, timeout: 5s }
`;

describe('queue worker functions', () => {
  let harness: Harness;
  const logs = captureLogs();

  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(async () => {
    await harness?.close();
  });

  const readyOf = async (runtime: AwsRuntime, name: string) =>
    conditionOf(
      await runtime.status.read({ kind: 'GitRepository', namespace: 'flux-system', name }),
      'Ready',
    );

  it('reports only the failing record of a batch, retries it after the backoff, and dead-letters it on its last receive', async () => {
    const fleet = await harness.git.createRepo('fleet');
    await harness.git.commitFiles(fleet, { 'apps/app.yaml': 'kind: ConfigMap\n' });
    await harness.git.commitFiles(harness.configRepo, {
      'clusters/batch/sources.yaml':
        source('good', fleet.url) + source('broken', 'http://127.0.0.1:9/nothing.git'),
    });
    const env = await harness.environment({ configPath: 'clusters/batch' });
    const runtime = harness.runtime(env, { log: logs.log, maxReceives: 2, backoff: () => 1 });
    await runtime.load();
    for (const name of ['good', 'broken'])
      await runtime.enqueuer.enqueue({
        kind: 'sync-source',
        gitRepository: { namespace: 'flux-system', name },
      });
    const worker = sqsWorker('sync-source', syncSourceHandlers, () => runtime);

    const first = await drain(harness, env, 'sync-source', worker);
    expect(first?.event.Records).toHaveLength(2);
    const broken = first?.event.Records.find((r) => JSON.parse(r.body).gitRepository.name === 'broken');
    expect(first?.event.Records.every((r) => r.attributes.MessageGroupId?.startsWith('GitRepository/'))).toBe(
      true,
    );
    expect(first?.response).toEqual({ batchItemFailures: [{ itemIdentifier: broken?.messageId }] });
    expect((await readyOf(runtime, 'good'))?.status).toBe('True');
    const retrying = await runtime.status.read({
      kind: 'GitRepository',
      namespace: 'flux-system',
      name: 'broken',
    });
    expect(conditionOf(retrying, 'Ready')?.status).toBe('False');
    expect(conditionOf(retrying, 'Reconciling')?.status).toBe('True');

    // Hidden for the backoff (1 s), then delivered once more: the last receive dead-letters it.
    let second: Awaited<ReturnType<typeof drain>>;
    await waitFor('the retry', async () => {
      second = await drain(harness, env, 'sync-source', worker);
      return second !== undefined;
    });
    expect(second?.event.Records.map((r) => [r.messageId, r.attributes.ApproximateReceiveCount])).toEqual([
      [broken?.messageId, '2'],
    ]);
    expect(second?.response).toEqual({ batchItemFailures: [] });
    const failed = await runtime.status.read({
      kind: 'GitRepository',
      namespace: 'flux-system',
      name: 'broken',
    });
    expect(conditionOf(failed, 'Ready')?.status).toBe('False');
    expect(conditionOf(failed, 'Reconciling')).toBeUndefined();
    const deadLetters = await runtime.enqueuer.queue('sync-source').deadLetters();
    expect(deadLetters.map((d) => [d.id, d.receiveCount, d.group])).toEqual([
      [broken?.messageId, 2, 'GitRepository/flux-system/broken'],
    ]);
    expect(deadLetters[0]?.reason).toMatch(/127\.0\.0\.1:9/);
    expect(await drain(harness, env, 'sync-source', worker)).toBeUndefined();
  });

  it("gives the jobs the invocation's remaining time, less the settling margin, as their deadline", async () => {
    await harness.git.commitFiles(harness.configRepo, {
      'clusters/deadline/sources.yaml': source('slow', 'http://127.0.0.1:9/slow.git'),
    });
    const env = await harness.environment({ configPath: 'clusters/deadline' });
    const runtime = harness.runtime(env, { log: logs.log, backoff: () => 1 });
    await runtime.enqueuer.enqueue({
      kind: 'sync-source',
      gitRepository: { namespace: 'flux-system', name: 'slow' },
    });
    let abortedBy: unknown;
    // A job that would run forever: only the deadline ends it.
    const worker = sqsWorker(
      'sync-source',
      async () => ({
        'sync-source': async (_job, ctx) => {
          await new Promise((_, reject) =>
            ctx.signal.addEventListener('abort', () => {
              abortedBy = ctx.signal.reason;
              reject(ctx.signal.reason);
            }),
          );
          return undefined;
        },
      }),
      () => runtime,
    );
    const polled = await drain(harness, env, 'sync-source', (event) => worker(event, lambdaContext(6_500)));
    expect((abortedBy as Error | undefined)?.name).toBe('TimeoutError');
    expect(polled?.response.batchItemFailures).toEqual([
      { itemIdentifier: polled?.event.Records[0]?.messageId },
    ]);
    const status = await runtime.status.read({
      kind: 'GitRepository',
      namespace: 'flux-system',
      name: 'slow',
    });
    expect(conditionOf(status, 'Reconciling')?.status).toBe('True');
  });

  it('reloads the config at once when the GitRepository synced is the config repository itself', async () => {
    await harness.git.commitFiles(harness.configRepo, {
      'clusters/self/sources.yaml': source('config', `${harness.configRepo.url}/`),
    });
    const env = await harness.environment({ configPath: 'clusters/self' });
    // A recheck far away: only the push to the config repository can bring the new objects in.
    const runtime = harness.runtime(env, { log: logs.log, configRecheckMs: 3_600_000 });
    await runtime.load();
    await harness.git.commitFiles(harness.configRepo, {
      'clusters/self/more.yaml': source('added-by-push', 'http://127.0.0.1:9/x.git'),
    });
    await runtime.enqueuer.enqueue({
      kind: 'sync-source',
      gitRepository: { namespace: 'flux-system', name: 'config' },
    });
    const worker = sqsWorker('sync-source', syncSourceHandlers, () => runtime);
    const polled = await drain(harness, env, 'sync-source', worker);
    expect(polled?.response).toEqual({ batchItemFailures: [] });
    expect(runtime.config().get('GitRepository', 'flux-system', 'added-by-push')).toBeDefined();
  });
});
