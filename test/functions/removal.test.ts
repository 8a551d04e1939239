/**
 * A Kustomization removed from the config repository has its objects pruned on AWS as under
 * `ferry serve`: the scheduled function notices the removal, the apply worker prunes with the
 * config of the revision that last defined it. The dev cluster is a simulator.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyHandlers } from '../../functions/apply.ts';
import { scheduleHandler } from '../../functions/schedule.ts';
import { sqsWorker } from '../../functions/sqs-worker.ts';
import type { DevCluster } from '../../lib/kube/dev-cluster/index.ts';
import { renderKubeconfig, startDevCluster } from '../../lib/kube/dev-cluster/index.ts';
import { connectCluster } from '../../lib/kube/index.ts';
import { captureLogs } from '../support/log-capture.ts';
import type { Harness } from './aws-harness.ts';
import { drain, startHarness } from './aws-harness.ts';
import { scheduledEvent } from './lambda-event-fixtures.ts';

const KUSTOMIZATION = `---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: { name: apps }
spec:
  interval: 1h
  path: ./apps
  prune: true
  sourceRef: { kind: GitRepository, name: fleet }
  kubeConfig: { secretRef: { name: dev-cluster } }
`;
const KUBECONFIG_PARAMETER = '/ferry/test/flux-system/dev-cluster';

describe('a Kustomization removed from the config, on AWS', () => {
  let harness: Harness;
  let cluster: DevCluster;
  const logs = captureLogs('info');

  beforeAll(async () => {
    [harness, cluster] = await Promise.all([startHarness(), startDevCluster({ port: 0 })]);
  });
  afterAll(async () => {
    await Promise.all([harness?.close(), cluster?.stop()]);
  });

  /** A fleet repository with one ConfigMap, a config path that applies it, and the functions. */
  const setup = async (path: string, configMap: string) => {
    const fleet = await harness.git.createRepo(`fleet-${path}`);
    await harness.git.commitFiles(fleet, {
      'apps/demo.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: ${configMap}, namespace: default }\n`,
    });
    const source = `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: { name: fleet }
spec: { url: ${fleet.url}, interval: 1h, ref: { branch: main } }
`;
    const file = `clusters/${path}/config.yaml`;
    await harness.git.commitFiles(harness.configRepo, { [file]: source + KUSTOMIZATION });
    harness.parameters.values.set(
      KUBECONFIG_PARAMETER,
      JSON.stringify({ value: renderKubeconfig(cluster.url) }),
    );
    const env = await harness.environment({ configPath: `clusters/${path}` });
    const fresh = () => harness.runtime(env, { log: logs.log });
    const runtime = fresh();
    const tick = async () => await scheduleHandler(fresh)(scheduledEvent());
    const applyAll = async () => await drain(harness, env, 'apply', sqsWorker('apply', applyHandlers, fresh));
    const exists = () =>
      connectCluster({ kubeconfigYaml: renderKubeconfig(cluster.url) })
        .api.read({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: configMap, namespace: 'default' },
        })
        .then(() => true)
        .catch(() => false);
    // Recorded by the schedule, then applied.
    await tick();
    await runtime.enqueuer.enqueue({
      kind: 'apply',
      kustomization: { namespace: 'flux-system', name: 'apps' },
    });
    await applyAll();
    expect(await exists()).toBe(true);
    expect(await runtime.state.get('inventory/flux-system/apps')).toBeDefined();
    const remove = () => harness.git.commitFiles(harness.configRepo, { [file]: source });
    return { runtime, tick, applyAll, exists, remove, path };
  };

  it('has its objects pruned by the apply worker once the schedule sees the new revision', async () => {
    const { runtime, tick, applyAll, exists, remove } = await setup('removal', 'demo');
    await remove();
    await tick();
    expect(await runtime.state.get('removed/flux-system/apps')).toBeDefined();
    expect((await applyAll())?.response).toEqual({ batchItemFailures: [] });
    expect(await exists()).toBe(false);
    expect(await runtime.state.get('inventory/flux-system/apps')).toBeUndefined();
    expect(await runtime.state.get('removed/flux-system/apps')).toBeUndefined();
    const events = await runtime.events.recent({ about: { kind: 'Kustomization', name: 'apps' } });
    expect(events.map((e) => e.reason)).toContain('Pruned');
  });

  it('keeps a removal whose cluster cannot be reached, and tries it again when the config changes', async () => {
    const { runtime, tick, applyAll, exists, remove, path } = await setup('retry', 'retry-demo');
    await remove();
    const reachable = harness.parameters.values.get(KUBECONFIG_PARAMETER) ?? '';
    harness.parameters.values.set(
      KUBECONFIG_PARAMETER,
      JSON.stringify({ value: renderKubeconfig('http://127.0.0.1:9') }),
    );
    await tick();
    await applyAll();
    expect(await exists()).toBe(true);
    expect((await runtime.state.get('removed/flux-system/apps'))?.value).toMatchObject({ attempts: 1 });
    // Not due again for five minutes: the next tick sends nothing.
    await tick();
    expect(await applyAll()).toBeUndefined();

    harness.parameters.values.set(KUBECONFIG_PARAMETER, reachable);
    await harness.git.commitFiles(harness.configRepo, {
      [`clusters/${path}/notes.yaml`]: '# an unrelated change\n',
    });
    await tick();
    await applyAll();
    expect(await exists()).toBe(false);
    expect(await runtime.state.get('removed/flux-system/apps')).toBeUndefined();
  });
});
