/**
 * Which cluster a Kustomization applies to: the kubeconfig in its `spec.kubeConfig.secretRef`, or
 * the one ferry was started with. Connections are kept per kubeconfig and reused across jobs.
 */
import { createHash } from 'node:crypto';
import type { ConfigSet, Kustomization } from '../config/index.ts';
import { objectKey } from '../config/index.ts';
import { TerminalError } from '../errors.ts';
import type { Cluster } from '../kube/index.ts';
import { connectCluster } from '../kube/index.ts';

export class ClusterConnections {
  readonly #kubeconfigPath: string | undefined;
  readonly #open = new Map<string, Cluster>();

  /** `kubeconfigPath`: `ferry serve --kubeconfig`; undefined means only Secrets name clusters. */
  constructor(kubeconfigPath: string | undefined) {
    this.#kubeconfigPath = kubeconfigPath;
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
    const path = this.#kubeconfigPath;
    if (!path) {
      throw new TerminalError(
        `${who}: no cluster to apply to: start ferry serve with --kubeconfig, or set spec.kubeConfig.secretRef`,
        { data: { reason: 'NoCluster' } },
      );
    }
    return this.#cached(`file:${path}`, () => connectCluster({ kubeconfigPath: path }));
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
