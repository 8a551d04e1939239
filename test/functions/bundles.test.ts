/**
 * The deployable artifacts: functions bundled exactly as deployed (scripts/bundle-functions.ts) and
 * run by a fresh `node` as Lambda runs them, their handler called with an event. The SDK clients
 * find DynamoDB Local, the local SQS server and the parameter store stand-in through the SDK's own
 * AWS_ENDPOINT_URL_<SERVICE> variables and take their credentials from the environment, through the
 * credential provider the bundles carry.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import examples from '@octokit/webhooks-examples' with { type: 'json' };
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { receiverDigest } from '../../lib/receivers/index.ts';
import { bundleEntry } from '../../scripts/bundle-functions.ts';
import type { ParameterStoreStandIn } from '../aws/parameter-store-stand-in.ts';
import { startParameterStoreStandIn } from '../aws/parameter-store-stand-in.ts';
import { hmacHex } from '../receivers/receiver-fixture.ts';
import { captureLogs } from '../support/log-capture.ts';
import type { Harness } from './aws-harness.ts';
import { drain, startHarness } from './aws-harness.ts';
import { apiGatewayV2Event, ecrImageActionEvent } from './lambda-event-fixtures.ts';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '..', '..');
const TOKEN = 'bundled-github-secret';

/** Imports the bundle, calls its handler once with the event, prints the result on the last line. */
const INVOKE = `
const [file, event] = process.argv.slice(1);
const { handler } = await import(file);
const deadline = Date.now() + 60_000;
const result = await handler(JSON.parse(event), { awsRequestId: 'bundle-test', getRemainingTimeInMillis: () => deadline - Date.now() });
process.stdout.write('\\n' + JSON.stringify(result) + '\\n');
`;

describe('the bundled functions', () => {
  let harness: Harness;
  let stand: ParameterStoreStandIn;
  let out: string;
  let env: Record<string, string>;
  const bundles = new Map<string, string>();

  beforeAll(async () => {
    [harness, stand] = await Promise.all([startHarness(), startParameterStoreStandIn()]);
    out = await mkdtemp(join(tmpdir(), 'ferry-bundles-'));
    for (const name of ['http', 'ecr-push', 'sync-source']) {
      const bundle = await bundleEntry(name, join(ROOT, 'functions', `${name}.ts`), join(out, name));
      bundles.set(name, bundle.file);
    }
    const fleet = await harness.git.createRepo('fleet');
    await harness.git.commitFiles(fleet, { 'apps/app.yaml': 'kind: ConfigMap\n' });
    await harness.git.commitFiles(harness.configRepo, {
      'clusters/bundles/config.yaml': `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: { name: fleet }
spec: { url: ${fleet.url}, interval: 10m, ref: { branch: main } }
---
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: { name: hello }
spec: { url: https://github.com/Codertocat/Hello-World.git, interval: 10m, ref: { branch: master } }
---
apiVersion: notification.toolkit.fluxcd.io/v1
kind: Receiver
metadata: { name: github }
spec:
  type: github
  secretRef: { name: github-token }
  resources: [{ kind: GitRepository, name: hello }]
`,
    });
    stand.parameters.set('/ferry/test/flux-system/github-token', JSON.stringify({ token: TOKEN }));
    env = {
      ...(await harness.environment({ configPath: 'clusters/bundles' })),
      PATH: process.env.PATH ?? '',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'secret',
      AWS_ENDPOINT_URL_DYNAMODB: harness.dynamodb.endpoint,
      AWS_ENDPOINT_URL_SQS: harness.sqs.endpoint,
      AWS_ENDPOINT_URL_SSM: stand.url,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: stand.url,
      FERRY_LOG_LEVEL: 'warn',
      TMPDIR: out,
    };
  });
  afterAll(async () => {
    await Promise.all([harness?.close(), stand?.close()]);
    if (out) await rm(out, { recursive: true, force: true });
  });

  const invoke = async (name: string, event: unknown): Promise<unknown> => {
    const { stdout } = await run(
      process.execPath,
      ['--input-type=module', '-e', INVOKE, bundles.get(name) ?? '', JSON.stringify(event)],
      {
        env,
        cwd: out,
      },
    );
    return JSON.parse(stdout.trim().split('\n').at(-1) ?? 'null');
  };
  const runtime = () => harness.runtime(env, { log: captureLogs().log });

  it('http: verifies a signed GitHub push with the token from the parameter store and queues the sync', async () => {
    const definitions = examples as unknown as { name: string; examples: Record<string, unknown>[] }[];
    const body = JSON.stringify(definitions.find((d) => d.name === 'push')?.examples[4]);
    const event = apiGatewayV2Event({
      method: 'POST',
      path: `/hook/${receiverDigest(TOKEN, 'github', 'flux-system')}`,
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'push',
        'x-github-delivery': crypto.randomUUID(),
        'x-hub-signature-256': `sha256=${hmacHex('sha256', body, TOKEN)}`,
      },
      body,
      base64: true,
    });
    expect(await invoke('http', event)).toMatchObject({ statusCode: 202 });
    const queue = runtime().enqueuer.queue('sync-source');
    const [message] = await queue.receive({ max: 1 });
    expect(message?.body).toMatchObject({ kind: 'sync-source', gitRepository: { name: 'hello' } });
    await queue.ack(message?.receipt ?? '');
    expect(stand.calls).toContain('GetParameter /ferry/test/flux-system/github-token decrypt=true');
  });

  it('ecr-push and the sync-source worker: an event queued by one bundle is worked off by another', async () => {
    const push = ecrImageActionEvent({
      'action-type': 'PUSH',
      result: 'SUCCESS',
      'repository-name': 'team/app',
      'image-tag': '2.0.0',
    });
    expect(await invoke('ecr-push', push)).toEqual({
      scans: ['123456789012.dkr.ecr.us-east-1.amazonaws.com/team/app:2.0.0'],
    });

    await runtime().enqueuer.enqueue({
      kind: 'sync-source',
      gitRepository: { namespace: 'flux-system', name: 'fleet' },
    });
    const polled = await drain(
      harness,
      env,
      'sync-source',
      async (event) => (await invoke('sync-source', event)) as never,
    );
    expect(polled?.response).toEqual({ batchItemFailures: [] });
    const status = await runtime().status.read({
      kind: 'GitRepository',
      namespace: 'flux-system',
      name: 'fleet',
    });
    expect(status?.conditions.find((c) => c.type === 'Ready')?.status).toBe('True');
  });
});
