import type { KubernetesObject } from '@kubernetes/client-node';
import { NAME_LABEL, NAMESPACE_LABEL, pruneDisabled, ssaPolicyOf } from './annotations.ts';
import type { ChangeEntry, ChangeSet } from './change-set.ts';
import { changeSetOf } from './change-set.ts';
import type { Cluster } from './connect-cluster.ts';
import type { Inventory } from './inventory.ts';
import { refOfEntry } from './inventory.ts';
import { isNotFound, kubeErrorFor } from './kube-errors.ts';
import { settleLimited, valuesOrThrow } from './map-limit.ts';
import type { ObjectRef } from './object-ref.ts';
import { describeRef, headerOf } from './object-ref.ts';

export interface PruneOptions {
  /** The Kustomization pruning: objects labelled as another's are left alone. */
  owner?: { name: string; namespace: string };
  dryRun?: boolean;
  concurrency?: number;
}

function ownedByOther(live: KubernetesObject, owner: PruneOptions['owner']): boolean {
  const labels = live.metadata?.labels ?? {};
  if (!owner || labels[NAME_LABEL] === undefined) return false;
  return labels[NAME_LABEL] !== owner.name || labels[NAMESPACE_LABEL] !== owner.namespace;
}

async function pruneOne(
  cluster: Cluster,
  ref: ObjectRef,
  options: PruneOptions,
): Promise<ChangeEntry | undefined> {
  let live: KubernetesObject;
  try {
    live = await cluster.api.read(headerOf(ref));
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw kubeErrorFor(error, ref, 'read');
  }
  if (pruneDisabled(live) || ssaPolicyOf(live) === 'Ignore' || ownedByOther(live, options.owner))
    return { ...ref, action: 'skipped' };
  try {
    await cluster.api.delete(
      headerOf(ref),
      undefined,
      options.dryRun ? 'All' : undefined,
      undefined,
      undefined,
      'Background',
    );
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw kubeErrorFor(error, ref, 'delete');
  }
  return { ...ref, action: 'deleted' };
}

/**
 * Deletes stale objects, leaving those that opt out (`kustomize.toolkit.fluxcd.io/prune: disabled`
 * or `ssa: Ignore`, as label or annotation on the live object). Namespaces go last, so their
 * objects are deleted by ferry, in order, rather than swept away with them. Objects already gone
 * are not reported.
 */
export async function pruneObjects(
  cluster: Cluster,
  stale: readonly ObjectRef[],
  options: PruneOptions = {},
): Promise<ChangeSet> {
  const isNamespace = (ref: ObjectRef) => ref.kind === 'Namespace' && ref.apiVersion === 'v1';
  const entries: ChangeEntry[] = [];
  for (const group of [stale.filter((r) => !isNamespace(r)), stale.filter(isNamespace)]) {
    const settled = await settleLimited(group, options.concurrency ?? 8, (ref) =>
      pruneOne(cluster, ref, options),
    );
    for (const entry of valuesOrThrow(settled, (i) => describeRef(group[i] as ObjectRef)))
      if (entry) entries.push(entry);
  }
  return changeSetOf(entries);
}

/** Deletes everything a removed Kustomization applied (its `spec.prune` was true). */
export function deleteInventory(
  cluster: Cluster,
  inventory: Inventory,
  options: PruneOptions = {},
): Promise<ChangeSet> {
  return pruneObjects(cluster, inventory.entries.map(refOfEntry), options);
}
