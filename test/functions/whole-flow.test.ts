/**
 * The whole image-automation-to-cluster flow through the Lambda handlers: an ECR push event, the
 * scan-image, update, sync-source and apply workers fed by a driver that plays the SQS event source
 * mapping, state in DynamoDB Local, the config and fleet repositories on the git server, the image in
 * the CNCF registry and the Deployment applied to the dev cluster (a simulator) through a kubeconfig
 * held in the parameter store. The registry answers as the ECR host the event names: this test's
 * HTTP dispatcher connects that one host to the local registry, so the scan asks exactly the
 * registry the event named.
 */
import { KubernetesObjectApi } from '@kubernetes/client-node';
import { Agent, buildConnector, type Dispatcher, getGlobalDispatcher, setGlobalDispatcher } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyHandlers } from '../../functions/apply.ts';
import { ecrPushHandler } from '../../functions/ecr-push.ts';
import { scanImageHandlers } from '../../functions/scan-image.ts';
import { sqsWorker } from '../../functions/sqs-worker.ts';
import { syncSourceHandlers } from '../../functions/sync-source.ts';
import { updateHandlers } from '../../functions/update.ts';
import type { JobKind } from '../../lib/jobs/job.ts';
import { conditionOf } from '../../lib/jobs/status.ts';
import type { DevCluster } from '../../lib/kube/dev-cluster/index.ts';
import { renderKubeconfig, startDevCluster } from '../../lib/kube/dev-cluster/index.ts';
import { connectCluster } from '../../lib/kube/index.ts';
import { captureLogs } from '../support/log-capture.ts';
import { waitFor } from '../support/ports.ts';
import type { Registry } from '../support/registry.ts';
import { startRegistry } from '../support/registry.ts';
import type { Harness, WorkerHandler } from './aws-harness.ts';
import { drain, startHarness } from './aws-harness.ts';
import { ecrImageActionEvent } from './lambda-event-fixtures.ts';

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const ECR_HOST = `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com`;
const IMAGE = `${ECR_HOST}/team/app`;

const deployment = (tag: string) => `apiVersion: apps/v1
kind: Deployment
metadata: { name: app, namespace: default }
spec:
  selector: { matchLabels: { app: app } }
  template:
    metadata: { labels: { app: app } }
    spec:
      containers:
        - name: app
          image: ${IMAGE}:${tag} # {"$imagepolicy": "flux-system:app"}
`;

const config = (fleetUrl: string) => `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: { name: fleet }
spec: { url: ${fleetUrl}, interval: 1h, ref: { branch: main } }
---
apiVersion: image.toolkit.fluxcd.io/v1
kind: ImageRepository
metadata: { name: app }
spec: { image: ${IMAGE}, interval: 1h, insecure: true }
---
apiVersion: image.toolkit.fluxcd.io/v1
kind: ImagePolicy
metadata: { name: app }
spec:
  imageRepositoryRef: { name: app }
  policy: { semver: { range: '>=1.0.0' } }
---
apiVersion: image.toolkit.fluxcd.io/v1
kind: ImageUpdateAutomation
metadata: { name: fleet }
spec:
  interval: 1h
  sourceRef: { kind: GitRepository, name: fleet }
  git:
    checkout: { ref: { branch: main } }
    commit:
      author: { name: ferry, email: ferry@example.com }
      messageTemplate: 'Update to {{ range .Changed.Changes }}{{ .NewValue }}{{ end }}'
    push: { branch: main }
  update: { path: ./apps, strategy: Setters }
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: { name: apps }
spec:
  interval: 1h
  path: ./apps
  prune: true
  wait: true
  timeout: 30s
  sourceRef: { kind: GitRepository, name: fleet }
  kubeConfig: { secretRef: { name: dev-cluster } }
`;

describe('the AWS functions, end to end', () => {
  let harness: Harness;
  let registry: Registry;
  let cluster: DevCluster;
  let previous: Dispatcher;
  const logs = captureLogs('info');

  beforeAll(async () => {
    [harness, registry, cluster] = await Promise.all([
      startHarness(),
      startRegistry(),
      startDevCluster({ port: 0, rolloutDelayMs: 200 }),
    ]);
    const registryPort = Number(registry.host.split(':')[1]);
    const connect = buildConnector({});
    previous = getGlobalDispatcher();
    setGlobalDispatcher(
      new Agent({
        connect: (options, callback) =>
          options.hostname === ECR_HOST
            ? connect({ ...options, hostname: '127.0.0.1', port: String(registryPort) }, callback)
            : connect(options, callback),
      }),
    );
  });
  afterAll(async () => {
    if (previous) setGlobalDispatcher(previous);
    await Promise.all([harness?.close(), registry?.close(), cluster?.stop()]);
  });

  it('takes an ECR push through scan, update commit, sync and apply to the cluster', async () => {
    await registry.pushImage('team/app', '1.0.0');
    await registry.pushImage('team/app', '1.2.3');
    const fleet = await harness.git.createRepo('fleet');
    await harness.git.commitFiles(fleet, { 'apps/app.yaml': deployment('1.0.0') });
    await harness.git.commitFiles(harness.configRepo, { 'clusters/flow/config.yaml': config(fleet.url) });
    harness.parameters.values.set(
      '/ferry/test/flux-system/dev-cluster',
      JSON.stringify({ value: renderKubeconfig(cluster.url) }),
    );
    const env = await harness.environment({ configPath: 'clusters/flow' });
    const runtime = harness.runtime(env, { log: logs.log });
    const runtimeOf = () => runtime;
    const workers: Record<Exclude<JobKind, 'notify'>, WorkerHandler> = {
      'scan-image': sqsWorker('scan-image', scanImageHandlers, runtimeOf),
      update: sqsWorker('update', updateHandlers, runtimeOf),
      'sync-source': sqsWorker('sync-source', syncSourceHandlers, runtimeOf),
      apply: sqsWorker('apply', applyHandlers, runtimeOf),
    };
    /** One event source poll of the kind, which must find work. */
    const step = async (kind: keyof typeof workers) => {
      const polled = await drain(harness, env, kind, workers[kind]);
      expect(polled?.event.Records.map((r) => JSON.parse(r.body).kind)).toEqual([kind]);
      expect(polled?.response.batchItemFailures).toEqual([]);
    };

    const push = ecrImageActionEvent(
      { 'action-type': 'PUSH', result: 'SUCCESS', 'repository-name': 'team/app', 'image-tag': '1.2.3' },
      { account: ACCOUNT, region: REGION },
    );
    expect(await ecrPushHandler(runtimeOf)(push)).toEqual({ scans: [`${IMAGE}:1.2.3`] });

    await step('scan-image');
    const policy = await runtime.status.read({ kind: 'ImagePolicy', namespace: 'flux-system', name: 'app' });
    expect(policy?.latestRef).toMatchObject({ name: IMAGE, tag: '1.2.3' });

    await step('update');
    const [commit] = await harness.git.log(fleet, 'main');
    expect(commit?.message).toBe(`Update to ${IMAGE}:1.2.3`);
    expect(await harness.git.readFile(fleet, 'main', 'apps/app.yaml')).toBe(deployment('1.2.3'));

    await step('sync-source');
    await step('apply');
    // Health is checked again as delayed continuations until the rollout settles.
    await waitFor(
      'the Kustomization to turn ready',
      async () => {
        await drain(harness, env, 'apply', workers.apply);
        const status = await runtime.status.read({
          kind: 'Kustomization',
          namespace: 'flux-system',
          name: 'apps',
        });
        return conditionOf(status, 'Ready')?.status === 'True';
      },
      30_000,
    );
    const status = await runtime.status.read({
      kind: 'Kustomization',
      namespace: 'flux-system',
      name: 'apps',
    });
    expect(status?.lastAppliedRevision).toBe(`main@sha1:${commit?.sha}`);

    const api = KubernetesObjectApi.makeApiClient(
      connectCluster({ kubeconfigYaml: renderKubeconfig(cluster.url) }).config,
    );
    const live = await api.read({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'app', namespace: 'default' },
    });
    expect(
      (live as { spec: { template: { spec: { containers: { image: string }[] } } } }).spec.template.spec
        .containers[0]?.image,
    ).toBe(`${IMAGE}:1.2.3`);
  });
});
