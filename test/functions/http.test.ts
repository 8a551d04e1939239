/**
 * The HTTP function driven with API Gateway HTTP API and Function URL events: webhooks verified on
 * the exact bytes the sender signed, base64-encoded or not, with the Receivers' tokens read from
 * the parameter store. The registry's own notifications reach the function through a small HTTP
 * front that turns each request into a Function URL event, as the Function URL service does.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import examples from '@octokit/webhooks-examples' with { type: 'json' };
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpHandler } from '../../functions/http.ts';
import type { Job } from '../../lib/jobs/job.ts';
import { receiverDigest } from '../../lib/receivers/index.ts';
import type { AwsRuntime } from '../../lib/runtime/aws-runtime.ts';
import { hmacHex } from '../receivers/receiver-fixture.ts';
import { captureLogs } from '../support/log-capture.ts';
import { waitFor } from '../support/ports.ts';
import type { Registry } from '../support/registry.ts';
import { startRegistry } from '../support/registry.ts';
import type { Harness } from './aws-harness.ts';
import { lambdaContext, startHarness } from './aws-harness.ts';
import { apiGatewayV2Event, functionUrlEvent } from './lambda-event-fixtures.ts';

const GITHUB_TOKEN = 'github-webhook-secret';
const REGISTRY_TOKEN = 'registry-webhook-secret';
const SHA = '6113728f27ae82c7b1a177c8d03f9e96e0adf246';

const CONFIG = `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: { name: fleet }
spec: { url: https://github.com/Codertocat/Hello-World.git, interval: 10m, ref: { branch: master } }
---
apiVersion: notification.toolkit.fluxcd.io/v1
kind: Receiver
metadata: { name: github }
spec:
  type: github
  events: [push]
  secretRef: { name: github-token }
  resources: [{ kind: GitRepository, name: fleet }]
---
apiVersion: notification.toolkit.fluxcd.io/v1
kind: Receiver
metadata: { name: registry }
spec:
  type: distribution
  secretRef: { name: registry-token }
  resources: []
`;

const definitions = examples as unknown as { name: string; examples: Record<string, unknown>[] }[];
/** The branch push of Codertocat/Hello-World to master, as GitHub sends it. */
const pushBody = JSON.stringify(definitions.find((d) => d.name === 'push')?.examples[4]);
const githubHeaders = (body: string, secret = GITHUB_TOKEN) => ({
  'Content-Type': 'application/json',
  'X-GitHub-Event': 'push',
  'X-GitHub-Delivery': crypto.randomUUID(),
  'X-Hub-Signature-256': `sha256=${hmacHex('sha256', body, secret)}`,
});

describe('the HTTP function', () => {
  let harness: Harness;
  let runtime: AwsRuntime;
  let handler: ReturnType<typeof httpHandler>;
  let front: Server;
  let registry: Registry;
  const logs = captureLogs();

  beforeAll(async () => {
    harness = await startHarness();
    await harness.git.commitFiles(harness.configRepo, { 'clusters/http/config.yaml': CONFIG });
    harness.parameters.values.set(
      '/ferry/test/flux-system/github-token',
      JSON.stringify({ token: GITHUB_TOKEN }),
    );
    harness.parameters.values.set(
      '/ferry/test/flux-system/registry-token',
      JSON.stringify({ token: REGISTRY_TOKEN }),
    );
    const env = await harness.environment({ configPath: 'clusters/http' });
    runtime = harness.runtime(env, { log: logs.log });
    handler = httpHandler(() => runtime);

    front = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
      const url = new URL(req.url ?? '/', 'http://front');
      const result = await handler(
        functionUrlEvent({
          method: req.method ?? 'GET',
          path: url.pathname,
          query: url.search.slice(1),
          headers,
          body: chunks.length > 0 ? Buffer.concat(chunks) : undefined,
          base64: true,
        }),
        lambdaContext(),
      );
      res.writeHead(result.statusCode, result.headers as Record<string, string>);
      res.end(result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body);
    });
    await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
    const { port } = front.address() as AddressInfo;
    registry = await startRegistry({
      notifications: {
        url: `http://127.0.0.1:${port}/hook/${receiverDigest(REGISTRY_TOKEN, 'registry', 'flux-system')}`,
        headers: { Authorization: [`Bearer ${REGISTRY_TOKEN}`] },
      },
    });
  });
  afterAll(async () => {
    await registry?.close();
    await new Promise((resolve) => front?.close(resolve));
    await harness?.close();
  });

  const jobs = async (kind: 'sync-source' | 'scan-image'): Promise<Job[]> => {
    const queue = runtime.enqueuer.queue(kind);
    const messages = await queue.receive({ max: 10, waitSeconds: 0 });
    for (const m of messages) await queue.ack(m.receipt);
    return messages.map((m) => m.body);
  };
  const githubPath = `/hook/${receiverDigest(GITHUB_TOKEN, 'github', 'flux-system')}`;

  it.each([
    { label: 'as text', base64: false },
    { label: 'base64-encoded', base64: true },
  ])('verifies a signed GitHub push sent $label and queues the sync', async ({ base64 }) => {
    const event = apiGatewayV2Event({
      method: 'POST',
      path: githubPath,
      headers: githubHeaders(pushBody),
      body: pushBody,
      base64,
    });
    const result = await handler(event, lambdaContext());
    expect(result.statusCode).toBe(202);
    expect(await jobs('sync-source')).toEqual([
      {
        kind: 'sync-source',
        gitRepository: { namespace: 'flux-system', name: 'fleet' },
        revision: `master@sha1:${SHA}`,
      },
    ]);
  });

  it('refuses a body changed after signing, queueing nothing', async () => {
    const tampered = pushBody.replace('Codertocat', 'Codertocas');
    const event = apiGatewayV2Event({
      method: 'POST',
      path: githubPath,
      headers: githubHeaders(pushBody),
      body: tampered,
      base64: true,
    });
    const result = await handler(event, lambdaContext());
    expect(result.statusCode).toBe(401);
    expect(await jobs('sync-source')).toEqual([]);
    expect(logs.text()).not.toContain(GITHUB_TOKEN);
  });

  it('turns the registry notification for a push into a scan of the pushed tag, through a Function URL', async () => {
    await registry.pushImage('team/app', '1.2.3');
    let scans: Job[] = [];
    await waitFor(
      'the scan job',
      async () => {
        scans = await jobs('scan-image');
        return scans.length > 0;
      },
      15_000,
    );
    expect(scans).toEqual([{ kind: 'scan-image', image: `${registry.host}/team/app`, hintTag: '1.2.3' }]);
  });

  it('answers health and readiness with the config loaded', async () => {
    const health = await handler(functionUrlEvent({ method: 'GET', path: '/healthz' }), lambdaContext());
    expect([health.statusCode, JSON.parse(health.body)]).toEqual([200, { status: 'ok' }]);
    const ready = await handler(apiGatewayV2Event({ method: 'GET', path: '/readyz' }), lambdaContext());
    expect([ready.statusCode, JSON.parse(ready.body)]).toEqual([
      200,
      { status: 'ready', checks: { config: 'ok', state: 'ok', queue: 'ok' } },
    ]);
  });
});
