/**
 * Alerts end to end under `ferry serve`: events published on the runtime's bus travel through alert
 * dispatch, the embedded queue and the notify job to a local HTTP server standing in for a webhook
 * receiver (a third-party service we cannot run here), which answers as each case scripts.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventSeverity, InvolvedObject } from '../../lib/jobs/event.ts';
import type { LocalRuntime } from '../../lib/runtime/local-runtime.ts';
import { startLocalRuntime } from '../../lib/runtime/local-runtime.ts';
import { captureLogs } from '../support/log-capture.ts';
import { answers, ReceiverStandin } from '../support/notify-standins.ts';
import { waitFor } from '../support/ports.ts';

const config = (origin: string) => `apiVersion: v1
kind: Secret
metadata: { name: hook }
stringData: { address: "${origin}/hooks/s3cr3t" }
---
apiVersion: notification.toolkit.fluxcd.io/v1beta3
kind: Provider
metadata: { name: webhook }
spec: { type: generic, secretRef: { name: hook } }
---
apiVersion: notification.toolkit.fluxcd.io/v1beta3
kind: Alert
metadata: { name: deploys }
spec:
  providerRef: { name: webhook }
  eventSources: [{ kind: Kustomization, name: '*' }]
  eventMetadata: { cluster: local }
`;

describe('alerts under ferry serve', () => {
  let dir: string;
  let receiver: ReceiverStandin;
  let runtime: LocalRuntime;
  let logs: ReturnType<typeof captureLogs>;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ferry-alerts-'));
    receiver = await ReceiverStandin.start();
    await mkdir(join(dir, 'config'));
    await writeFile(join(dir, 'config', 'alerts.yaml'), config(receiver.origin));
    logs = captureLogs();
    runtime = await startLocalRuntime({
      configDir: join(dir, 'config'),
      stateDir: join(dir, 'state'),
      port: 0,
      log: logs.log,
      watch: false,
      consumer: { waitSeconds: 1, maxReceives: 10, backoff: () => 1, visibilitySeconds: 30 },
    });
  });

  afterAll(async () => {
    await runtime?.stop(2_000);
    await receiver?.close();
    expect(logs.text()).not.toContain('s3cr3t');
    await rm(dir, { recursive: true, force: true });
  });

  const object = (name: string): InvolvedObject => ({
    kind: 'Kustomization',
    namespace: 'flux-system',
    name,
  });
  const publish = async (name: string, message: string, severity: EventSeverity = 'error') => {
    const event = runtime.events.event(object(name), severity, 'HealthCheckFailed', message, {
      revision: 'main@sha1:0a1b',
    });
    await runtime.events.publish(event);
    return event;
  };
  const received = (message: string) =>
    receiver.requests.filter((r) => (r.json() as { message: string }).message === message);
  const arrives = (message: string, count = 1) =>
    waitFor(`${count} × "${message}" at the receiver`, async () => received(message).length >= count, 15_000);

  it('delivers a published event once, as the generic provider shapes it', async () => {
    const event = await publish('apps', 'apps not ready');
    await arrives('apps not ready');
    expect(received('apps not ready')).toHaveLength(1);
    const [request] = received('apps not ready');
    expect(request?.path).toBe('/hooks/s3cr3t');
    expect(request?.headers['gotk-component']).toBe('ferry');
    expect(request?.json()).toEqual({
      involvedObject: event.involvedObject,
      severity: 'error',
      timestamp: event.timestamp,
      message: 'apps not ready',
      reason: 'HealthCheckFailed',
      metadata: { cluster: 'local', revision: 'main@sha1:0a1b' },
      reportingController: 'ferry',
    });
  });

  it('does not deliver the same event again within five minutes', async () => {
    await publish('web', 'web not ready');
    await arrives('web not ready');
    await publish('web', 'web not ready');
    // Deliveries to one Provider keep their order, so once this one is in, a repeat would be too.
    await publish('web', 'web marker');
    await arrives('web marker');
    expect(received('web not ready')).toHaveLength(1);
  });

  it('delivers an alert raised while the receiver was down once it is back, raising no events of its own', async () => {
    receiver.answerAlways(answers.serverError(503));
    await publish('api', 'api not ready');
    await arrives('api not ready', 2);
    const failed = received('api not ready').length;
    receiver.answerAlways(answers.ok());
    await arrives('api not ready', failed + 1);
    await publish('api', 'api marker');
    await arrives('api marker');
    expect(received('api not ready')).toHaveLength(failed + 1);
    const raised = (await runtime.events.recent()).map((e) => e.involvedObject.kind);
    expect(new Set(raised)).toEqual(new Set(['Kustomization']));
  });

  it('waits what a 429 asks before delivering', async () => {
    receiver.script(answers.slackRateLimited(1));
    await publish('db', 'db not ready');
    await arrives('db not ready', 2);
    await publish('db', 'db marker');
    await arrives('db marker');
    expect(received('db not ready')).toHaveLength(2);
    expect(logs.lines().find((l) => l.msg === 'receiver is rate limiting; waiting')).toMatchObject({
      retryAfterSeconds: 1,
      alert: 'Alert/flux-system/deploys',
    });
  });
});
