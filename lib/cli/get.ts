/**
 * `ferry get <kind> [name]`: the objects the server runs with and their recorded status, read from
 * the state directory, as a table or JSON.
 */
import type { ObjectStatus } from '../jobs/status.ts';
import { conditionOf, statusKey } from '../jobs/status.ts';
import type { RecordedObject } from '../runtime/object-records.ts';
import { readObjects } from '../runtime/object-records.ts';
import type { StateStore } from '../state/state-store.ts';
import { resolveKind } from './kinds.ts';
import { formatTable } from './table.ts';

export interface GetOptions {
  kind: string;
  name?: string;
  /** undefined: all namespaces. */
  namespace?: string;
  output: 'table' | 'json';
}

export interface ObjectWithStatus {
  object: RecordedObject;
  status: ObjectStatus | undefined;
}

export async function getObjects(store: StateStore, options: GetOptions): Promise<ObjectWithStatus[]> {
  const kind = options.kind === 'all' ? undefined : resolveKind(options.kind);
  const objects = (await readObjects(store, kind)).filter(
    (o) =>
      (options.namespace === undefined || o.metadata.namespace === options.namespace) &&
      (options.name === undefined || o.metadata.name === options.name) &&
      (kind !== undefined || (o.kind !== 'Secret' && o.kind !== 'ConfigMap')),
  );
  return await Promise.all(
    objects.map(async (object) => ({
      object,
      status: (await store.get<ObjectStatus>(statusKey({ kind: object.kind, ...object.metadata })))?.value,
    })),
  );
}

export function renderObjects(rows: ObjectWithStatus[], options: GetOptions): string {
  if (options.output === 'json') return JSON.stringify(rows, null, 2);
  if (rows.length === 0) {
    const where = options.namespace ? ` in namespace ${options.namespace}` : '';
    return `no ${options.kind}${options.name ? ` named ${options.name}` : ''} found${where}`;
  }
  const withKind = options.kind === 'all';
  const header = ['NAMESPACE', 'NAME', 'REVISION', 'SUSPENDED', 'READY', 'MESSAGE'];
  const body = rows.map(({ object, status }) => {
    const ready = conditionOf(status, 'Ready');
    const spec = 'spec' in object ? (object.spec as { suspend?: boolean }) : {};
    return [
      object.metadata.namespace,
      withKind ? `${object.kind}/${object.metadata.name}` : object.metadata.name,
      revisionOf(status),
      spec.suspend ? 'True' : 'False',
      ready?.status ?? 'Unknown',
      ready?.message ?? (status ? '' : 'not reconciled yet'),
    ];
  });
  return formatTable(header, body);
}

/** The field each kind records its current revision in, whichever is present. */
function revisionOf(status: ObjectStatus | undefined): string {
  if (!status) return '';
  const s = status as Record<string, unknown>;
  const artifact = s.artifact as { revision?: string } | undefined;
  const latestRef = s.latestRef as { name?: string; tag?: string } | undefined;
  const candidate =
    s.lastAppliedRevision ??
    artifact?.revision ??
    (latestRef ? `${latestRef.name}:${latestRef.tag}` : undefined) ??
    s.lastPushCommit;
  return typeof candidate === 'string' ? candidate : '';
}
