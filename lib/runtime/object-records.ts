/**
 * A copy of the loaded config in state, so that other processes (`ferry get`, `ferry reconcile`)
 * see the objects the server runs with, without loading or trusting a config directory themselves.
 * Secrets and ConfigMaps are recorded by name and key only: Secret values never reach state, and
 * ConfigMap values are the config's business, not the record's.
 */
import type { ConfigSet, FluxObject } from '../config/index.ts';
import { objectKey } from '../config/index.ts';
import type { StateStore } from '../state/state-store.ts';

export type RecordedObject = Omit<FluxObject, 'values'> & { keys?: string[] };

export function recordKey(key: string): string {
  return `objects/${key}`;
}

function recordOf(object: FluxObject): RecordedObject {
  if (object.kind !== 'Secret' && object.kind !== 'ConfigMap') return object;
  const { values, ...rest } = object;
  return { ...rest, keys: Object.keys(values).sort() };
}

/** Writes every object of the config and removes the records of objects no longer in it. */
export async function recordObjects(store: StateStore, config: ConfigSet): Promise<void> {
  const wanted = new Map(config.all().map((o) => [recordKey(objectKey(o)), recordOf(o)]));
  const existing = await store.query<RecordedObject>('objects/');
  for (const item of existing) {
    if (!wanted.has(item.key)) await store.delete(item.key);
  }
  const unchanged = new Set(
    existing.filter((i) => JSON.stringify(i.value) === JSON.stringify(wanted.get(i.key))).map((i) => i.key),
  );
  for (const [key, record] of wanted) {
    if (!unchanged.has(key)) await store.put(key, record);
  }
}

/** The recorded objects, all or of one kind. */
export async function readObjects(store: StateStore, kind?: string): Promise<RecordedObject[]> {
  const items = await store.query<RecordedObject>(kind ? `objects/${kind}/` : 'objects/');
  return items.map((i) => i.value);
}
