/**
 * The common answer of the registry senders: a scan per pushed image and tag, and a word on each
 * event that was not a tagged push (pulls, deletes, blob pushes, untagged manifests, pings), so
 * that a sender's delivery log says why nothing happened.
 */
import { parseImageReference } from '../registry/image-name.ts';
import type { ImageHint } from './image-hints.ts';
import { scanJobsForHints } from './image-hints.ts';
import type { ReceiverOutcome } from './receiver-handler.ts';
import { ReceiverPayloadError } from './receiver-handler.ts';

export interface RegistryEvents {
  hints: ImageHint[];
  /** What was not acted on, one short phrase per event ("pull of team/app"). */
  ignored: string[];
}

const LISTED = 5;

/** Scan jobs for the hints; an image or tag that is not a valid reference is a malformed payload. */
export function registryOutcome(
  sender: string,
  events: RegistryEvents,
  deliveryId?: string,
): ReceiverOutcome {
  for (const hint of events.hints) {
    try {
      parseImageReference(`${hint.image}:${hint.tag}`);
    } catch (error) {
      throw new ReceiverPayloadError(`${sender}: the payload names an invalid image or tag`, {
        cause: error,
        data: { sender },
      });
    }
  }
  const jobs = scanJobsForHints(events.hints);
  const scans = jobs.map((job) => `${job.image}:${job.hintTag}`);
  const ignored = events.ignored.length > 0 ? `ignored ${summarise(events.ignored)}` : '';
  const message =
    scans.length > 0
      ? `scan requested for ${summarise(scans)}${ignored && `; ${ignored}`}`
      : `nothing to scan${ignored && `: ${ignored}`}`;
  return { jobs, message, ...(deliveryId ? { deliveryId } : {}) };
}

/** Repeated phrases counted, the list cut short: an envelope of forty blob pushes is one phrase. */
function summarise(phrases: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const phrase of phrases) counts.set(phrase, (counts.get(phrase) ?? 0) + 1);
  const items = [...counts].map(([phrase, n]) => (n > 1 ? `${phrase} (×${n})` : phrase));
  const more = items.length > LISTED ? ` and ${items.length - LISTED} more` : '';
  return items.slice(0, LISTED).join(', ') + more;
}
