/**
 * Which cluster a Kustomization applies to: the kubeconfig in its `spec.kubeConfig.secretRef`, or
 * the one ferry was started with (a kubeconfig file, or the pod's service account when ferry runs
 * in the cluster). Connections are kept per kubeconfig and reused across jobs.
 */
import { createHash } from 'node:crypto';
import type { ConfigSet, Kustomization } from '../config/index.ts';
import { objectKey } from '../config/index.ts';
import { TerminalError } from '../errors.ts';
import type { Cluster } from '../kube/index.ts';
import { connectCluster } from '../kube/index.ts';

/** The cluster ferry runs against by default: `--kubeconfig`, or the pod's service account. */
export type DefaultCluster = { kubeconfigPath: string } | { inCluster: true; serviceAccountRoot?: string };

export class ClusterConnections {
  readonly #default: DefaultCluster | undefined;
  readonly #open = new Map<string, Cluster>();

  /** A path is `ferry serve --kubeconfig`; undefined means only Secrets name clusters. */
  constructor(defaultCluster: string | DefaultCluster | undefined) {
    this.#default = typeof defaultCluster === 'string' ? { kubeconfigPath: defaultCluster } : defaultCluster;
  }

  for(kustomization: Kustomization, config: ConfigSet): Cluster {
    const ref = kustomization.spec.kubeConfig;
    if (ref?.secretRef) {
      const key = ref.secretRef.key ?? 'value';
      const values = config.secretValues(kustomization.metadata.namespace, ref.secretRef.name, {
        required: [key],
        referrer: objectKey(kustomization),
      });
      const yaml = values[key] as string;
      return this.#cached(`secret:${createHash('sha256').update(yaml).digest('hex')}`, () =>
        connectCluster({ kubeconfigYaml: yaml }),
      );
    }
    if (ref) {
      throw new TerminalError(
        `${objectKey(kustomization)}: spec.kubeConfig without a secretRef is not supported by ferry yet`,
        {
          data: { reason: 'NotSupported', field: 'spec.kubeConfig' },
        },
      );
    }
    return this.default(objectKey(kustomization));
  }

  /** The cluster ferry was started with; `who` names the object that needs it in the error. */
  default(who: string): Cluster {
    const target = this.#default;
    if (!target) {
      throw new TerminalError(
        `${who}: no cluster to apply to: start ferry serve with --kubeconfig (or inside a cluster), or set spec.kubeConfig.secretRef`,
        { data: { reason: 'NoCluster' } },
      );
    }
    if ('inCluster' in target) return this.#cached('in-cluster', () => connectCluster(target));
    return this.#cached(`file:${target.kubeconfigPath}`, () =>
      connectCluster({ kubeconfigPath: target.kubeconfigPath }),
    );
  }

  async close(): Promise<void> {
    await Promise.all([...this.#open.values()].map((c) => c.close()));
    this.#open.clear();
  }

  #cached(key: string, open: () => Cluster): Cluster {
    let cluster = this.#open.get(key);
    if (!cluster) {
      cluster = open();
      this.#open.set(key, cluster);
    }
    return cluster;
  }
}
