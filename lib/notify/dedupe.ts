/**
 * Identical events are sent once per five minutes, as Flux's event server rate-limits them.
 *
 * Identical means Flux's event key: the involved object (kind, namespace, name), the message, and
 * of the metadata only `revision` and `token`. Other metadata (timestamps, counters) would make
 * every repeat look new. Severity and reason are not part of it, in Flux either.
 *
 * The key is per event, not per Alert or Provider: Flux limits events before it looks at Alerts,
 * so a repeat is dropped for every Alert at once. ferry checks after matching (an event that
 * matches no Alert costs no write), which differs only when the config changes within the window.
 *
 * The window lives in state, so it holds across restarts and across the AWS workers: a put that
 * succeeds only when no live item has the key, with a TTL of five minutes. The store treats an
 * item past its TTL as absent on every read, whatever its sweeper has done.
 */
import { createHash } from 'node:crypto';
import type { FluxEvent } from '../jobs/event.ts';
import type { StateStore } from '../state/state-store.ts';
import { StateConflictError } from '../state/state-store.ts';

export const DEDUPE_WINDOW_SECONDS = 300;

const PARTITION = 'alert-dedupe/';

interface Sighting {
  /** A hash of the whole event that opened the window, timestamp included. */
  event: string;
  firstSeen: string;
}

/** Flux's event key, hashed: sha256 over labelled components. */
export function eventKey(event: FluxEvent): string {
  const o = event.involvedObject;
  const parts = [
    'event',
    `name=${o.name}`,
    `namespace=${o.namespace}`,
    `kind=${o.kind}`,
    `message=${event.message}`,
  ];
  const { revision, token } = event.metadata;
  if (revision !== undefined) parts.push(`revision=${revision}`);
  if (token !== undefined) parts.push(`token=${token}`);
  return createHash('sha256').update(parts.join('/')).digest('hex');
}

/**
 * Whether the event may be sent: true for the first of its kind in the window, and again for the
 * very same event (every field, timestamp included) published twice, so that a publish retried after a crash
 * still reaches the queue (whose dedupeId keeps it from being sent twice); false for a repeat.
 */
export async function admitEvent(state: StateStore, event: FluxEvent, now: () => Date): Promise<boolean> {
  const key = `${PARTITION}${eventKey(event)}`;
  const identity = createHash('sha256').update(JSON.stringify(event)).digest('hex');
  const sighting: Sighting = { event: identity, firstSeen: now().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await state.put(key, sighting, { ifAbsent: true, ttlSeconds: DEDUPE_WINDOW_SECONDS });
      return true;
    } catch (error) {
      if (!(error instanceof StateConflictError)) throw error;
    }
    const held = await state.get<Sighting>(key);
    // Gone between the put and the get: the window just closed, so try to open the next one.
    if (held !== undefined) return held.value.event === identity;
  }
  return false;
}
