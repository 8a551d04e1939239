import type { FieldKey, Json, JsonObject } from './field-paths.ts';
import {
  fieldLeaves,
  fromFieldsV1,
  isObject,
  mergeApplied,
  printField,
  removeField,
  toFieldsV1,
} from './field-paths.ts';
import type { FieldConflict } from './status-errors.ts';
import { applyConflict } from './status-errors.ts';

export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  fieldsType: 'FieldsV1';
  fieldsV1: JsonObject;
  subresource?: string;
}

/** Who writes, through which endpoint, and whether the resource keeps status apart. */
export interface Writer {
  manager: string;
  apiVersion: string;
  now: string;
  /** `status` writes only the status; `scale` writes `.spec.replicas` of the main resource. */
  subresource?: 'status' | 'scale';
  statusSubresource: boolean;
}

function part(writer: Writer): 'all' | 'main' | 'status' {
  if (writer.subresource === 'status') return 'status';
  return writer.statusSubresource ? 'main' : 'all';
}

function entriesOf(object: JsonObject | undefined): ManagedFieldsEntry[] {
  const entries = isObject(object?.metadata) ? object.metadata.managedFields : undefined;
  return Array.isArray(entries) ? (entries as unknown as ManagedFieldsEntry[]) : [];
}

function sameEndpoint(entry: ManagedFieldsEntry, writer: Writer): boolean {
  return (entry.subresource ?? '') === (writer.subresource ?? '');
}

/** Whether two writers touch the same fields: status apart, everything else together. */
function sameScope(entry: ManagedFieldsEntry, writer: Writer): boolean {
  return (entry.subresource === 'status') === (writer.subresource === 'status');
}

/**
 * A manager as the real API names it in conflicts: `"ferry"` for an applier, `"kubectl" with
 * subresource "scale" using apps/v1` for an updater.
 */
export function describeManager(entry: ManagedFieldsEntry): string {
  const sub = entry.subresource ? ` with subresource "${entry.subresource}"` : '';
  const using = entry.operation === 'Update' ? ` using ${entry.apiVersion}` : '';
  return `"${entry.manager}"${sub}${using}`;
}

function entry(writer: Writer, operation: 'Apply' | 'Update', keys: Iterable<FieldKey>): ManagedFieldsEntry {
  return {
    manager: writer.manager,
    operation,
    apiVersion: writer.apiVersion,
    time: writer.now,
    fieldsType: 'FieldsV1',
    fieldsV1: toFieldsV1(keys),
    ...(writer.subresource ? { subresource: writer.subresource } : {}),
  };
}

function withEntries(object: JsonObject, entries: ManagedFieldsEntry[]): JsonObject {
  const metadata = isObject(object.metadata) ? object.metadata : {};
  return { ...object, metadata: { ...metadata, managedFields: entries as unknown as Json } };
}

/**
 * Server-side apply: merges `config` into `live`, removes the fields this manager applied last
 * time and no longer does (unless another manager still holds them), and refuses with 409 when
 * another manager owns a field this apply sets to a different value, unless `force` takes it over.
 */
export function serverSideApply(
  live: JsonObject | undefined,
  config: JsonObject,
  writer: Writer,
  force: boolean,
): JsonObject {
  const scope = part(writer);
  const applied = fieldLeaves(config, scope);
  const current = live ? fieldLeaves(live, scope) : new Map<FieldKey, string>();
  const entries = entriesOf(live);
  const isMine = (e: ManagedFieldsEntry) =>
    e.manager === writer.manager && e.operation === 'Apply' && sameEndpoint(e, writer);
  const mine = new Set(entries.filter(isMine).flatMap((e) => [...fromFieldsV1(e.fieldsV1)]));
  const others = entries.filter((e) => !isMine(e)).map((e) => ({ e, keys: fromFieldsV1(e.fieldsV1) }));

  const conflicts: FieldConflict[] = [];
  for (const { e, keys } of others) {
    if (!sameScope(e, writer)) continue;
    for (const key of keys) {
      if (!applied.has(key) || current.get(key) === applied.get(key)) continue;
      conflicts.push({ manager: describeManager(e), field: printField(key) });
      if (force) keys.delete(key);
    }
  }
  if (conflicts.length > 0 && !force) throw applyConflict(conflicts);

  const heldByOthers = new Set(others.flatMap(({ keys }) => [...keys]));
  const merged = structuredClone(live ?? {}) as JsonObject;
  for (const key of mine) if (!applied.has(key) && !heldByOthers.has(key)) removeField(merged, key);
  const { status, ...main } = config;
  const next =
    scope === 'status'
      ? { ...merged, status: mergeApplied(merged.status, status ?? {}) }
      : (mergeApplied(merged, scope === 'main' ? main : config) as JsonObject);

  const kept = others
    .filter(({ keys }) => keys.size > 0)
    .map(({ e, keys }) => ({ ...e, fieldsV1: toFieldsV1(keys) }));
  return withEntries(next, [...kept, entry(writer, 'Apply', applied.keys())]);
}

/**
 * Records a create, update or patch: the writer takes ownership of every field it changed,
 * and other managers lose those fields, as on the real API.
 */
export function recordUpdate(live: JsonObject | undefined, next: JsonObject, writer: Writer): JsonObject {
  const scope = part(writer);
  const before = live ? fieldLeaves(live, scope) : new Map<FieldKey, string>();
  const after = fieldLeaves(next, scope);
  const changed = [...after.keys()].filter((k) => before.get(k) !== after.get(k));
  const gone = new Set([...before.keys()].filter((k) => !after.has(k)));
  const lost = new Set([...changed, ...gone]);
  const isMine = (e: ManagedFieldsEntry) =>
    e.manager === writer.manager && e.operation === 'Update' && sameEndpoint(e, writer);
  const entries = entriesOf(live);
  const mine = new Set([...entries.filter(isMine).flatMap((e) => [...fromFieldsV1(e.fieldsV1)]), ...changed]);
  for (const key of gone) mine.delete(key);
  const kept = entries
    .filter((e) => !isMine(e))
    .map((e) => ({
      e,
      keys: [...fromFieldsV1(e.fieldsV1)].filter((k) => !sameScope(e, writer) || !lost.has(k)),
    }))
    .filter(({ keys }) => keys.length > 0)
    .map(({ e, keys }) => ({ ...e, fieldsV1: toFieldsV1(keys) }));
  const own = mine.size > 0 ? [entry(writer, 'Update', mine)] : [];
  return withEntries(next, [...kept, ...own]);
}
