/**
 * What GitHub and GitLab commit statuses share, following Flux: no status for a Progressing event
 * (it is neither success nor failure yet); the commit from the event's `revision` (`main@sha1:<sha>`,
 * `sha1:<sha>`, the older `main/<sha>`, or a bare sha), else its `commit_sha`; a context per object
 * and Provider, `<kind>/<name>/<8 hex>`, lower-cased. Flux takes the 8 hex from the Provider's UID so
 * that two clusters reporting on one commit do not overwrite each other; ferry's objects have no
 * UIDs, so ferry hashes the Provider's `namespace/name` (sha256) instead: stable across restarts and
 * deployments, distinct per Provider. Pure.
 */
import { createHash } from 'node:crypto';
import type { FluxEvent } from '../jobs/event.ts';
import type { ProviderEndpoint } from './notification.ts';
import { truncate } from './truncate.ts';

/** GitHub's limit on a status description, applied to GitLab's too. */
export const COMMIT_STATUS_DESCRIPTION_MAX = 140;

const SHA = /^[0-9a-f]{7,64}$/i;

/** Why no status is posted for this event, or undefined when one is. */
export function commitStatusSkipReason(event: FluxEvent): string | undefined {
  if (event.reason === 'Progressing') return 'Progressing events set no commit status';
  if (commitSha(event) === undefined) return 'the event names no commit (no revision or commit_sha metadata)';
  return undefined;
}

export function commitSha(event: FluxEvent): string | undefined {
  const revision = event.metadata.revision;
  if (revision) {
    const sha = revision.slice(Math.max(revision.lastIndexOf(':'), revision.lastIndexOf('/')) + 1);
    if (SHA.test(sha)) return sha.toLowerCase();
  }
  const commit = event.metadata.commit_sha;
  return commit && SHA.test(commit) ? commit.toLowerCase() : undefined;
}

export function commitStatusContext(endpoint: ProviderEndpoint, event: FluxEvent): string {
  const hash = createHash('sha256')
    .update(`${endpoint.namespace}/${endpoint.name}`)
    .digest('hex')
    .slice(0, 8);
  return `${event.involvedObject.kind}/${event.involvedObject.name}/${hash}`.toLowerCase();
}

/**
 * Flux's description is the reason in words (`ReconciliationFailed` → `reconciliation failed`); for an
 * error ferry adds the message's first line, what a reader of the failed check wants, within 140.
 */
export function commitStatusDescription(event: FluxEvent, text: string): string {
  const words = splitCamelCase(event.reason).join(' ').toLowerCase();
  const firstLine = (text.split('\n', 1)[0] ?? '').trim();
  const description = event.severity === 'error' && firstLine ? `${words}: ${firstLine}` : words;
  return truncate(description, COMMIT_STATUS_DESCRIPTION_MAX, '…');
}

/** `HealthCheckFailed` → [Health, Check, Failed]; `DependencyNotReady` → [Dependency, Not, Ready]. */
function splitCamelCase(text: string): string[] {
  return text.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+|[^A-Za-z\d]+/g) ?? [text];
}
