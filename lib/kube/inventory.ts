import type { KubernetesObject } from '@kubernetes/client-node';
import { TerminalError } from '../errors.ts';
import { NAME_LABEL, NAMESPACE_LABEL } from './annotations.ts';
import type { ObjectRef } from './object-ref.ts';
import { groupOf, refOf } from './object-ref.ts';

/** One entry of Flux's `status.inventory`: id `<namespace>_<name>_<group>_<kind>`, v the version. */
export interface InventoryEntry {
  id: string;
  v: string;
}

export interface Inventory {
  entries: InventoryEntry[];
}

/** An inventory id that does not have the four parts. */
export class InventoryEntryError extends TerminalError {}

/** RBAC names may hold `:`, which the id encodes as `__` so `_` stays the separator. */
export function inventoryId(ref: ObjectRef): string {
  return [ref.namespace, ref.name.replaceAll(':', '__'), groupOf(ref.apiVersion), ref.kind].join('_');
}

/**
 * The object an entry names. The namespace is cut from the front and kind and group from the back,
 * so the `__` of an empty group is not mistaken for an encoded colon in the name.
 */
export function refOfEntry(entry: InventoryEntry): ObjectRef {
  const first = entry.id.indexOf('_');
  const last = entry.id.lastIndexOf('_');
  const beforeKind = entry.id.lastIndexOf('_', last - 1);
  if (first === -1 || beforeKind <= first)
    throw new InventoryEntryError(`not an inventory id: ${entry.id}`, { data: { id: entry.id } });
  const namespace = entry.id.slice(0, first);
  const name = entry.id.slice(first + 1, beforeKind).replaceAll('__', ':');
  const group = entry.id.slice(beforeKind + 1, last);
  const kind = entry.id.slice(last + 1);
  if (!name || !kind)
    throw new InventoryEntryError(`not an inventory id: ${entry.id}`, { data: { id: entry.id } });
  return { apiVersion: group ? `${group}/${entry.v}` : entry.v, kind, namespace, name };
}

function versionOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash === -1 ? apiVersion : apiVersion.slice(slash + 1);
}

/** The inventory of applied objects, sorted by id as Flux keeps it so it compares and stores stably. */
export function inventoryOf(objects: readonly (KubernetesObject | ObjectRef)[]): Inventory {
  const byId = new Map<string, InventoryEntry>();
  for (const object of objects) {
    const ref = 'metadata' in object ? refOf(object) : (object as ObjectRef);
    byId.set(inventoryId(ref), { id: inventoryId(ref), v: versionOf(ref.apiVersion) });
  }
  return { entries: [...byId.values()].sort((a, b) => a.id.localeCompare(b.id)) };
}

/**
 * What the old inventory holds and the new one does not: the objects to prune. An object whose
 * apiVersion alone changed is the same object and stays.
 */
export function staleObjects(oldInventory: Inventory | undefined, newInventory: Inventory): ObjectRef[] {
  const kept = new Set(newInventory.entries.map((e) => e.id));
  return (oldInventory?.entries ?? []).filter((e) => !kept.has(e.id)).map(refOfEntry);
}

/** The labels Flux puts on every object a Kustomization applies; the caller adds them before applying. */
export function ownerLabels(kustomization: { name: string; namespace: string }): Record<string, string> {
  return { [NAME_LABEL]: kustomization.name, [NAMESPACE_LABEL]: kustomization.namespace };
}
