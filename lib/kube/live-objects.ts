import type { KubernetesObject } from '@kubernetes/client-node';
import type { Cluster } from './connect-cluster.ts';
import { isNotFound, kubeErrorFor } from './kube-errors.ts';
import type { ObjectRef } from './object-ref.ts';
import { headerOf, refOf } from './object-ref.ts';

/** From this many objects of one kind in one namespace, one LIST is cheaper than a GET each. */
const LIST_FROM = 4;

function groupKey(ref: ObjectRef): string {
  return `${ref.apiVersion}|${ref.kind}|${ref.namespace}`;
}

/**
 * The live state of objects about to be applied, read before applying so the change set can say
 * created, configured or unchanged. Kinds with many objects in one namespace are listed at once,
 * which halves the requests of a large apply; where listing is not allowed, each object is read.
 */
export class LiveObjects {
  readonly #cluster: Cluster;
  readonly #listed = new Map<string, Map<string, KubernetesObject>>();

  constructor(cluster: Cluster) {
    this.#cluster = cluster;
  }

  /** Lists the kinds that have enough objects among these to be worth a LIST. */
  async prefetch(objects: readonly KubernetesObject[]): Promise<void> {
    const counts = new Map<string, ObjectRef>();
    const sizes = new Map<string, number>();
    for (const object of objects) {
      const ref = refOf(object);
      const key = groupKey(ref);
      counts.set(key, ref);
      sizes.set(key, (sizes.get(key) ?? 0) + 1);
    }
    const wanted = [...counts].filter(
      ([key]) => (sizes.get(key) ?? 0) >= LIST_FROM && !this.#listed.has(key),
    );
    await Promise.all(
      wanted.map(async ([key, ref]) => {
        try {
          const list = await this.#cluster.api.list(ref.apiVersion, ref.kind, ref.namespace || undefined);
          this.#listed.set(key, new Map(list.items.map((item) => [item.metadata?.name ?? '', item])));
        } catch {
          // Not allowed to list, or the kind is not there yet: read object by object instead.
        }
      }),
    );
  }

  /** The live object, or undefined when it does not exist. */
  async get(ref: ObjectRef): Promise<KubernetesObject | undefined> {
    const listed = this.#listed.get(groupKey(ref));
    if (listed) return listed.get(ref.name);
    try {
      return await this.#cluster.api.read(headerOf(ref));
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw kubeErrorFor(error, ref, 'read');
    }
  }
}
