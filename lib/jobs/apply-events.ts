/**
 * What an apply tells people, in Flux's words: a `Progressing` event listing the objects that
 * changed (one `Kind/namespace/name action` line each, as kustomize-controller writes them) with the
 * counts in the metadata, and a `ReconciliationSucceeded` event when a revision is in and healthy.
 * A drift-correction run that changed nothing says nothing: an unchanged cluster is not news.
 */
import { formatDuration } from '../config/index.ts';
import type { ChangeSet } from '../kube/index.ts';

/** Long change sets are cut here; the counts in the metadata still tell the whole story. */
const MAX_LINES = 50;

export interface ChangeSetEvent {
  message: string;
  metadata: Record<string, string>;
}

/** The Progressing event of an apply, or undefined when nothing was created, configured or deleted. */
export function changeSetEvent(
  changes: ChangeSet,
  pruned: ChangeSet | undefined,
): ChangeSetEvent | undefined {
  const entries = [...changes.entries, ...(pruned?.entries ?? [])].filter(
    (e) => e.action === 'created' || e.action === 'configured' || e.action === 'deleted',
  );
  if (entries.length === 0) return undefined;
  const lines = entries.map((e) => `${e.kind}/${e.namespace ? `${e.namespace}/` : ''}${e.name} ${e.action}`);
  const shown = lines.slice(0, MAX_LINES);
  if (lines.length > MAX_LINES) shown.push(`… and ${lines.length - MAX_LINES} more`);
  const counts = {
    created: changes.counts.created,
    configured: changes.counts.configured,
    unchanged: changes.counts.unchanged,
    deleted: changes.counts.deleted + (pruned?.counts.deleted ?? 0),
  };
  return {
    message: shown.join('\n'),
    metadata: Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, String(v)])),
  };
}

/** `Reconciliation finished in 1.2s, next run in 10m0s`, as Flux says it. */
export function finishedMessage(elapsedMs: number, intervalMs: number): string {
  const elapsed = formatDuration(
    Math.max(0, elapsedMs < 1_000 ? Math.round(elapsedMs) : Math.round(elapsedMs / 100) * 100),
  );
  return `Reconciliation finished in ${elapsed}, next run in ${formatDuration(intervalMs)}`;
}
