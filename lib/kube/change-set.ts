import type { ObjectRef } from './object-ref.ts';

/** What one apply or prune did to one object, in Flux's words. */
export type ChangeAction = 'created' | 'configured' | 'unchanged' | 'deleted' | 'skipped';

export interface ChangeEntry extends ObjectRef {
  action: ChangeAction;
}

export interface ChangeSet {
  entries: ChangeEntry[];
  counts: Record<ChangeAction, number>;
}

/** A change set from entries, with counts for events (`created: 3, configured: 1`). */
export function changeSetOf(entries: ChangeEntry[]): ChangeSet {
  const counts: Record<ChangeAction, number> = {
    created: 0,
    configured: 0,
    unchanged: 0,
    deleted: 0,
    skipped: 0,
  };
  for (const entry of entries) counts[entry.action] += 1;
  return { entries, counts };
}
