/**
 * A Kustomization removed from the config takes its objects with it when it had `prune: true`, as
 * Flux's finalizer does. Its inventory stays in state until its objects are gone, so a removal that
 * ferry did not finish (a crash, an unreachable cluster) is finished at the next start or reload.
 */
import type { ConfigSet } from '../config/index.ts';
import type { Inventory } from '../kube/index.ts';
import { deleteInventory } from '../kube/index.ts';
import type { Logger } from '../observe/logger.ts';
import type { StateStore } from '../state/state-store.ts';
import type { ClusterConnections } from './cluster-connections.ts';
import type { EventBus } from './event-bus.ts';
import { statusKey } from './status.ts';

/** The inventory as the apply job records it, with whether its Kustomization prunes. */
export interface AppliedInventory extends Inventory {
  prune?: boolean;
}

export interface OrphanOptions {
  config: ConfigSet;
  /** The config before a reload: a removed Kustomization's kubeConfig Secret is found there. */
  previous?: ConfigSet;
  state: StateStore;
  clusters: ClusterConnections;
  events: EventBus;
  log: Logger;
}

/** Deletes the objects of every Kustomization that has an inventory but no longer a definition. */
export async function pruneOrphanInventories(options: OrphanOptions): Promise<string[]> {
  const { config, previous, state, clusters, events, log } = options;
  const removed: string[] = [];
  for (const item of await state.query<AppliedInventory>('inventory/')) {
    const [, namespace = '', name = ''] = item.key.split('/');
    if (config.get('Kustomization', namespace, name)) continue;
    const before = previous?.get('Kustomization', namespace, name);
    const object = { kind: 'Kustomization', namespace, name };
    if (item.value.prune !== false && before?.spec.prune !== false) {
      try {
        const cluster =
          before && previous
            ? clusters.for(before, previous)
            : clusters.default(`Kustomization/${namespace}/${name}`);
        const deleted = await deleteInventory(cluster, item.value, { owner: { name, namespace } });
        const message = `deleted ${deleted.counts.deleted} object(s) of the removed Kustomization`;
        await events.publish(events.event(object, 'info', 'Pruned', message));
      } catch (error) {
        log.error(
          { err: error, kustomization: `${namespace}/${name}` },
          'removed Kustomization not pruned; retried at the next reload',
        );
        continue;
      }
    }
    await state.delete(item.key);
    await state.delete(statusKey(object));
    removed.push(`${namespace}/${name}`);
  }
  return removed;
}
