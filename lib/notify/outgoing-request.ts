/**
 * What a provider builder hands to delivery: one POST, fully formed, and for commit statuses the GET
 * that finds out whether the commit already shows it. Builders are pure; only deliver() sends. A
 * builder may instead decline, with the reason (a commit status for a Progressing event, an event
 * without a revision).
 */
export interface OutgoingRequest {
  url: string;
  headers: Record<string, string>;
  /** The exact bytes to send (as UTF-8): an HMAC is taken over this string. */
  body: string;
  duplicateCheck?: DuplicateCheck;
}

/**
 * Posting the same commit status again is not harmless: GitLab counts each as another external job.
 * As Flux does, delivery first reads the statuses and posts nothing when the latest one of ours
 * already says the same.
 */
export interface DuplicateCheck {
  url: string;
  headers: Record<string, string>;
  /** Given the GET's parsed JSON answer, whether the POST would change nothing. */
  isDuplicate: (answer: unknown) => boolean;
}

export interface SkippedRequest {
  skipped: string;
}

export function isSkipped(built: OutgoingRequest | SkippedRequest): built is SkippedRequest {
  return 'skipped' in built;
}

/**
 * Layers of headers, later layers winning, names compared case-insensitively as HTTP does (a
 * Secret's `content-type` replaces the builder's `Content-Type` instead of joining it).
 */
export function mergeHeaders(...layers: Record<string, string>[]): Record<string, string> {
  const byLowerName = new Map<string, [string, string]>();
  for (const layer of layers) {
    for (const [name, value] of Object.entries(layer)) byLowerName.set(name.toLowerCase(), [name, value]);
  }
  return Object.fromEntries(byLowerName.values());
}

export const JSON_CONTENT_TYPE = { 'Content-Type': 'application/json; charset=utf-8' };
