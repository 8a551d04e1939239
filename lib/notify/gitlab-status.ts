/**
 * GitLab commit status: POST {origin}/api/v4/projects/{url-encoded path}/statuses/{sha} with a
 * PRIVATE-TOKEN, for gitlab.com and self-managed hosts alike (the origin of the repository address;
 * a numeric project ID in the address works as the path). State `success` for info, `failed` for
 * error, as Flux maps them; the status `name` is the same context as GitHub's. Nothing is posted
 * when the latest status of that name already says the same: GitLab would count a repeat as another
 * external job (Flux checks first for the same reason). Pure.
 */
import type { FluxEvent } from '../jobs/event.ts';
import {
  commitSha,
  commitStatusContext,
  commitStatusDescription,
  commitStatusSkipReason,
} from './commit-status.ts';
import { parseGitAddress } from './git-address.ts';
import type { Notification, ProviderEndpoint } from './notification.ts';
import { notificationText } from './notification-text.ts';
import {
  JSON_CONTENT_TYPE,
  mergeHeaders,
  type OutgoingRequest,
  type SkippedRequest,
} from './outgoing-request.ts';
import { ProviderConfigError } from './provider-config-error.ts';
import { requireAddress } from './require-address.ts';

export interface GitLabStatus {
  state: 'success' | 'failed';
  name: string;
  description: string;
}

export function gitlabState(event: FluxEvent): GitLabStatus['state'] {
  return event.severity === 'error' ? 'failed' : 'success';
}

export function gitlabStatusRequest(
  endpoint: ProviderEndpoint,
  notification: Notification,
): OutgoingRequest | SkippedRequest {
  const { event } = notification;
  const skip = commitStatusSkipReason(event);
  if (skip !== undefined) return { skipped: skip };
  const address = parseGitAddress(requireAddress(endpoint));
  if (address === undefined) {
    throw new ProviderConfigError(
      `Provider/${endpoint.namespace}/${endpoint.name}`,
      'address',
      'must be a repository address like https://gitlab.com/<group>/<project>',
    );
  }
  const status: GitLabStatus = {
    state: gitlabState(event),
    name: commitStatusContext(endpoint, event),
    description: commitStatusDescription(event, notificationText(notification)),
  };
  const project = `${address.origin}/api/v4/projects/${encodeURIComponent(address.path)}`;
  const sha = commitSha(event);
  const headers = mergeHeaders(endpoint.headers, { 'PRIVATE-TOKEN': endpoint.token ?? '' });
  return {
    url: `${project}/statuses/${sha}`,
    headers: mergeHeaders(headers, JSON_CONTENT_TYPE),
    body: JSON.stringify(status),
    duplicateCheck: {
      url: `${project}/repository/commits/${sha}/statuses?name=${encodeURIComponent(status.name)}`,
      headers,
      isDuplicate: (answer) => isSameAsLatest(answer, status),
    },
  };
}

/** GitLab answers the latest status per name; of several, the highest id is the newest. */
function isSameAsLatest(answer: unknown, status: GitLabStatus): boolean {
  if (!Array.isArray(answer)) return false;
  const ours = (answer as { id?: number; name?: string; status?: string; description?: string }[])
    .filter((s) => s?.name === status.name)
    .sort((a, b) => (b.id ?? 0) - (a.id ?? 0));
  return ours[0]?.status === status.state && ours[0].description === status.description;
}
