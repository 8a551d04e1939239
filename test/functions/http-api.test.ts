/**
 * /api/v1 through the HTTP function, as API Gateway's `ANY /api/{proxy+}` route delivers it, with
 * the token read from the parameter store (an in-memory stand-in: SSM and Secrets Manager cannot
 * run here), the objects from DynamoDB Local and the reconcile read back from the local SQS server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpHandler } from '../../functions/http.ts';
import type { HttpEventV2 } from '../../functions/lambda-events.ts';
import type { ObjectWithStatus } from '../../lib/cli/get.ts';
import type { AwsRuntime } from '../../lib/runtime/aws-runtime.ts';
import { captureLogs } from '../support/log-capture.ts';
import type { Harness } from './aws-harness.ts';
import { lambdaContext, startHarness } from './aws-harness.ts';
import { apiGatewayV2Event } from './lambda-event-fixtures.ts';

const API_TOKEN = 'aws-api-token-7e21c0';
const PARAMETER = '/ferry/test/api-token';

const CONFIG = `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: { name: fleet }
spec: { url: https://git.example.com/fleet.git, interval: 10m, ref: { branch: main } }
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: { name: apps }
spec: { interval: 10m, path: ./apps, prune: true, sourceRef: { kind: GitRepository, name: fleet } }
`;

/** The event of the proxy route: API Gateway names the route and puts the rest of the path in `proxy`. */
function apiEvent(method: string, path: string, token?: string, query?: string): HttpEventV2 {
  const event = apiGatewayV2Event({
    method,
    path,
    ...(query ? { query } : {}),
    ...(token ? { headers: { Authorization: `Bearer ${token}` } } : {}),
  });
  const routeKey = 'ANY /api/{proxy+}';
  return {
    ...event,
    routeKey,
    pathParameters: { proxy: path.slice('/api/'.length) },
    requestContext: { ...event.requestContext, routeKey },
  };
}

describe('the HTTP function /api/v1', () => {
  let harness: Harness;
  let runtime: AwsRuntime;
  let handler: ReturnType<typeof httpHandler>;
  const logs = captureLogs();

  beforeAll(async () => {
    harness = await startHarness();
    await harness.git.commitFiles(harness.configRepo, { 'clusters/api/config.yaml': CONFIG });
    const env = await harness.environment({ configPath: 'clusters/api' });
    runtime = harness.runtime(env, { log: logs.log });
    handler = httpHandler(() => runtime);
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('stays closed until the parameter holds a token, then takes only that token', async () => {
    const closed = await handler(apiEvent('GET', '/api/v1/objects', API_TOKEN), lambdaContext());
    expect(closed.statusCode).toBe(403);
    expect(JSON.parse(closed.body).error).toContain('<FERRY_PARAMETER_PREFIX>/api-token');

    harness.parameters.values.set(PARAMETER, JSON.stringify({ token: API_TOKEN }));
    const wrong = await handler(apiEvent('GET', '/api/v1/objects', 'aws-api-token-7e21c1'), lambdaContext());
    expect(wrong.statusCode).toBe(401);
    expect(wrong.headers?.['www-authenticate']).toMatch(/^Bearer\b/);
    const right = await handler(apiEvent('GET', '/api/v1/objects', API_TOKEN), lambdaContext());
    expect(right.statusCode).toBe(200);

    harness.parameters.values.set(PARAMETER, JSON.stringify({ value: API_TOKEN }));
    const malformed = await handler(apiEvent('GET', '/api/v1/objects', API_TOKEN), lambdaContext());
    expect(malformed.statusCode).toBe(503);
    expect(logs.text()).toContain(`parameter ${PARAMETER} is JSON without a \\"token\\" string`);

    harness.parameters.values.set(PARAMETER, `${API_TOKEN}\n`);
    const plain = await handler(apiEvent('GET', '/api/v1/objects', API_TOKEN), lambdaContext());
    expect(plain.statusCode).toBe(200);
    expect(harness.parameters.reads).toContain(PARAMETER);
    expect(logs.text()).not.toContain(API_TOKEN);
  });

  it('queues a reconcile on the kind queue, and lists the objects the schedule recorded', async () => {
    harness.parameters.values.set(PARAMETER, API_TOKEN);
    const reconcile = await handler(
      apiEvent('POST', '/api/v1/reconcile/ks/flux-system/apps', API_TOKEN),
      lambdaContext(),
    );
    expect(reconcile.statusCode).toBe(202);
    const queue = runtime.enqueuer.queue('apply');
    const messages = await queue.receive({ max: 10, waitSeconds: 0 });
    for (const m of messages) await queue.ack(m.receipt);
    expect(messages.map((m) => m.body)).toEqual([
      { kind: 'apply', kustomization: { namespace: 'flux-system', name: 'apps' } },
    ]);
    const missing = await handler(
      apiEvent('POST', '/api/v1/reconcile/ks/flux-system/gone', API_TOKEN),
      lambdaContext(),
    );
    expect([missing.statusCode, JSON.parse(missing.body)]).toEqual([
      404,
      { error: 'Kustomization flux-system/gone is not in the config ferry serves' },
    ]);

    await runtime.scheduleTick();
    const listed = await handler(apiEvent('GET', '/api/v1/objects', API_TOKEN, 'kind=ks'), lambdaContext());
    expect(listed.statusCode).toBe(200);
    const rows = JSON.parse(listed.body) as ObjectWithStatus[];
    expect(rows.map((r) => `${r.object.kind}/${r.object.metadata.name}`)).toEqual(['Kustomization/apps']);
  });
});
