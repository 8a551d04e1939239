/**
 * GitLab commit status: POST {origin}/api/v4/projects/{url-encoded path}/statuses/{sha} with a
 * PRIVATE-TOKEN, for gitlab.com and self-managed hosts alike (the origin of the repository address;
 * a numeric project ID in the address works as the path). State `success` for info, `failed` for
 * error, as Flux maps them; the status `name` is the same context as GitHub's. Pure.
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
  return {
    url: `${address.origin}/api/v4/projects/${encodeURIComponent(address.path)}/statuses/${commitSha(event)}`,
    headers: mergeHeaders(endpoint.headers, JSON_CONTENT_TYPE, { 'PRIVATE-TOKEN': endpoint.token ?? '' }),
    body: JSON.stringify(status),
  };
}
