/**
 * The notify job against a local HTTP server standing in for a webhook receiver (a third-party
 * service we cannot run here), over the real embedded state store and queue.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ConfigSet } from '../../lib/config/index.ts';
import { loadConfigFiles } from '../../lib/config/index.ts';
import { failureClassOf } from '../../lib/errors.ts';
import type { FluxEvent } from '../../lib/jobs/event.ts';
import type { NotifyJob } from '../../lib/jobs/job.ts';
import { MAX_RATE_LIMITED_WAITS, notifyHandler, RateLimitedTooLongError } from '../../lib/jobs/notify.ts';
import { recordOutcome } from '../../lib/jobs/outcome.ts';
import { DeliveryFailedError, DeliveryRejectedError } from '../../lib/notify/delivery-errors.ts';
import { isRequeue } from '../../lib/queue/requeue.ts';
import type { TestJobContext } from '../support/job-context.ts';
import { testJobContext } from '../support/job-context.ts';
import { answers, ReceiverStandin } from '../support/notify-standins.ts';
import { waitFor } from '../support/ports.ts';

const SECRET_PATH = 'T000/B000/s3cr3t-hook-path';

const configFor = (origin: string, extra = { provider: '', alert: '' }) =>
  loadConfigFiles([
    {
      path: 'alerts.yaml',
      content: `apiVersion: v1
kind: Secret
metadata: { name: hook }
stringData: { address: "${origin}/${SECRET_PATH}" }
---
apiVersion: notification.toolkit.fluxcd.io/v1beta3
kind: Provider
metadata: { name: webhook }
spec: { type: generic, secretRef: { name: hook }${extra.provider} }
---
apiVersion: notification.toolkit.fluxcd.io/v1beta3
kind: Alert
metadata: { name: deploys }
spec:
  providerRef: { name: webhook }
  eventSources: [{ kind: Kustomization, name: '*' }]
  eventMetadata: { cluster: prod-eu, revision: overridden-by-the-event }
${extra.alert}
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: { name: apps, annotations: { event.toolkit.fluxcd.io/owner: team-web } }
spec: { interval: 5m, prune: true, path: ./apps, sourceRef: { kind: GitRepository, name: fleet } }
---
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: { name: fleet }
spec: { interval: 5m, url: https://git.example.com/fleet.git, ref: { branch: main } }
`,
    },
  ]);

const event: FluxEvent = {
  involvedObject: { kind: 'Kustomization', namespace: 'flux-system', name: 'apps' },
  severity: 'error',
  reason: 'HealthCheckFailed',
  message: 'Deployment/apps/web not ready',
  metadata: { revision: 'main@sha1:0a1b' },
  timestamp: '2026-03-01T12:00:00.000Z',
  reportingController: 'ferry',
};

const job: NotifyJob = {
  kind: 'notify',
  provider: { namespace: 'flux-system', name: 'webhook' },
  alert: { namespace: 'flux-system', name: 'deploys' },
  event,
};

describe('notify job', () => {
  let receiver: ReceiverStandin;
  let ctx: TestJobContext;
  let config: ConfigSet;
  const handler = notifyHandler();

  beforeAll(async () => {
    receiver = await ReceiverStandin.start();
  });
  afterAll(() => receiver.close());
  beforeEach(async () => {
    receiver.requests.length = 0;
    config = configFor(receiver.origin);
    ctx = await testJobContext(config, () => new Date('2026-03-01T12:00:01Z'));
    ctx.config = () => config;
  });
  afterEach(async () => {
    expect(ctx.logs.text()).not.toContain('s3cr3t');
    await ctx.close();
  });

  it('delivers the event with the Alert’s metadata merged in Flux’s order, and reports where', async () => {
    const result = await handler(job, ctx);
    expect(result).toEqual({
      message: `delivered Kustomization/flux-system/apps to ${new URL(receiver.origin).host}`,
    });
    expect(receiver.requests).toHaveLength(1);
    const [request] = receiver.requests;
    expect(request?.path).toBe(`/${SECRET_PATH}`);
    expect(request?.json()).toMatchObject({
      involvedObject: event.involvedObject,
      message: 'Deployment/apps/web not ready',
      metadata: { owner: 'team-web', cluster: 'prod-eu', revision: 'main@sha1:0a1b' },
    });
  });

  it('sends the rendered messageTemplate as the text', async () => {
    config = configFor(receiver.origin, {
      provider: '',
      alert: '  messageTemplate: "{{ .InvolvedObject.Name }} on {{ .Metadata.cluster }}: {{ .Message }}"',
    });
    await handler(job, ctx);
    expect(receiver.requests[0]?.json()).toMatchObject({
      message: 'apps on prod-eu: Deployment/apps/web not ready',
    });
  });

  it('falls back to the default text when the template fails on the event, logging the Alert', async () => {
    config = configFor(receiver.origin, {
      provider: '',
      alert: '  messageTemplate: "{{ .Metadata.cluster.Name }}"',
    });
    await handler(job, ctx);
    expect(receiver.requests[0]?.json()).toMatchObject({ message: 'Deployment/apps/web not ready' });
    expect(ctx.logs.lines().find((l) => String(l.msg).startsWith('messageTemplate failed'))).toMatchObject({
      level: 'warn',
      alert: 'Alert/flux-system/deploys',
    });
  });

  it.each([
    { label: 'the Provider is suspended', extra: { provider: ', suspend: true', alert: '' } },
    { label: 'the Alert is suspended', extra: { provider: '', alert: '  suspend: true' } },
  ])('sends nothing when $label', async ({ extra }) => {
    config = configFor(receiver.origin, extra);
    expect(await handler(job, ctx)).toBeUndefined();
    expect(receiver.requests).toHaveLength(0);
  });

  it('sends nothing when the Alert is gone from the config', async () => {
    expect(
      await handler({ ...job, alert: { namespace: 'flux-system', name: 'removed' } }, ctx),
    ).toBeUndefined();
    expect(receiver.requests).toHaveLength(0);
  });

  it('comes back after the wait the receiver asks for on 429', async () => {
    receiver.script(answers.slackRateLimited(7));
    const result = await handler(job, ctx);
    expect(isRequeue(result)).toBe(true);
    expect(result).toMatchObject({ afterSeconds: 7, body: { ...job, rateLimited: 1 } });
  });

  it('drops a notification whose receiver kept answering 429, terminally, rather than keep it forever', async () => {
    receiver.script(answers.slackRateLimited(2));
    const waited = await handler({ ...job, rateLimited: MAX_RATE_LIMITED_WAITS - 1 }, ctx);
    expect(waited).toMatchObject({ body: { rateLimited: MAX_RATE_LIMITED_WAITS } });
    receiver.script(answers.slackRateLimited(2));
    const failure = await handler({ ...job, rateLimited: MAX_RATE_LIMITED_WAITS }, ctx).catch(
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(RateLimitedTooLongError);
    expect(failureClassOf(failure)).toBe('terminal');
    expect((failure as Error).message).toBe(
      'Provider/flux-system/webhook: the receiver answered 429 11 times in a row; the alert is dropped',
    );
  });

  it('waits at least a second when the receiver says to retry at once, rather than asking again in a loop', async () => {
    receiver.script(answers.slackRateLimited(0));
    expect(await handler(job, ctx)).toMatchObject({ afterSeconds: 1, body: { ...job, rateLimited: 1 } });
  });

  it("stops a delivery at the worker's deadline, transiently, so that the batch is settled before the function ends", async () => {
    receiver.script(answers.slow(3000));
    const deadline = new AbortController();
    const running = handler(job, { ...ctx, signal: deadline.signal }).catch((e: unknown) => e);
    await waitFor('the receiver to be asked', async () => receiver.requests.length > 0);
    deadline.abort(new DOMException('the deadline passed', 'TimeoutError'));
    const failure = await running;
    expect(failure).toBeInstanceOf(DeliveryFailedError);
    expect(failureClassOf(failure)).toBe('transient');
    expect((failure as Error).message).toMatch(/failed: stopped at the worker's deadline$/);
  });

  it('throws a transient error on 5xx, for the consumer to retry with backoff', async () => {
    receiver.script(answers.serverError(503));
    const failure = await handler(job, ctx).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(DeliveryFailedError);
    expect(failureClassOf(failure)).toBe('transient');
  });

  it('gives up on another 4xx, logging the receiver’s answer, and raises no event about it', async () => {
    receiver.script(answers.badRequest('invalid_payload: missing text'));
    const failure = await handler(job, ctx).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(DeliveryRejectedError);
    expect(failureClassOf(failure)).toBe('terminal');
    expect(ctx.logs.lines().find((l) => l.msg === 'receiver refused the alert; not retried')).toMatchObject({
      level: 'error',
      answer: 'invalid_payload: missing text',
    });

    await recordOutcome({ job, outcome: 'terminal', attempt: 1, error: failure }, ctx);
    expect(await ctx.events.recent()).toEqual([]);
    const status = await ctx.status.read({ kind: 'Provider', namespace: 'flux-system', name: 'webhook' });
    expect(JSON.stringify(status)).toContain('invalid_payload');
  });
});
