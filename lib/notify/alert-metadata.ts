/**
 * The metadata a notification carries: the event's own, with the Alert's `eventMetadata` and
 * `summary` added. Flux's precedence (RFC 0008), lowest first:
 *
 * 1. the involved object's annotations prefixed `event.toolkit.fluxcd.io/` (prefix stripped);
 * 2. the Alert's `spec.eventMetadata`;
 * 3. the Alert's `spec.summary`, under the key `summary`;
 * 4. the metadata the controller put on the event (revision, commit, ...).
 *
 * So the controller's facts win over cluster-level labels, and those over what a tenant annotates.
 */
import type { Alert } from '../config/index.ts';
import type { FluxEvent } from '../jobs/event.ts';

/** The annotation prefix whose keys Flux copies onto every event about the object. */
export const EVENT_ANNOTATION_PREFIX = 'event.toolkit.fluxcd.io/';

export interface MergedMetadata {
  metadata: Record<string, string>;
  /** Keys set by more than one source, sorted; Flux warns about them. */
  conflicts: string[];
}

export function mergeAlertMetadata(
  event: FluxEvent,
  alert: Alert,
  objectAnnotations: Record<string, string> = {},
): MergedMetadata {
  const merged = new Map<string, string>();
  const seen = new Map<string, number>();
  const set = (key: string, value: string) => {
    merged.set(key, value);
    seen.set(key, (seen.get(key) ?? 0) + 1);
  };
  for (const [key, value] of Object.entries(objectAnnotations)) {
    if (key.startsWith(EVENT_ANNOTATION_PREFIX) && key.length > EVENT_ANNOTATION_PREFIX.length)
      set(key.slice(EVENT_ANNOTATION_PREFIX.length), value);
  }
  for (const [key, value] of Object.entries(alert.spec.eventMetadata ?? {})) set(key, value);
  if (alert.spec.summary) set('summary', alert.spec.summary);
  for (const [key, value] of Object.entries(event.metadata)) set(key, value);
  const conflicts = [...seen].filter(([, n]) => n > 1).map(([key]) => key);
  // fromEntries defines own properties, so even a `__proto__` key stays a key.
  return { metadata: Object.fromEntries(merged), conflicts: conflicts.sort() };
}
