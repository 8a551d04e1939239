/**
 * GitHub commit status: POST {api}/repos/{owner}/{repo}/statuses/{sha}, where the API is
 * api.github.com for a github.com repository and https://host/api/v3 for GitHub Enterprise Server,
 * the address being the repository's URL (https, ssh or scp-like). State `success` for info,
 * `failure` for error, as Flux maps them. Nothing is posted when the commit's latest status of this
 * context already says the same (Flux reads the statuses first too). Pure.
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

export interface GitHubStatus {
  state: 'success' | 'failure';
  context: string;
  description: string;
}

export function githubState(event: FluxEvent): GitHubStatus['state'] {
  return event.severity === 'error' ? 'failure' : 'success';
}

/** The API base and `owner/repo` of the endpoint's repository. */
export function githubRepository(endpoint: ProviderEndpoint): { api: string; owner: string; repo: string } {
  const address = parseGitAddress(requireAddress(endpoint));
  const [owner, repo, ...rest] = address?.path.split('/') ?? [];
  if (address === undefined || owner === undefined || repo === undefined || rest.length > 0) {
    throw new ProviderConfigError(
      `Provider/${endpoint.namespace}/${endpoint.name}`,
      'address',
      'must be a repository address like https://github.com/<owner>/<repo>',
    );
  }
  const host = new URL(address.origin).hostname;
  const api =
    host === 'github.com' || host === 'www.github.com'
      ? 'https://api.github.com'
      : `${address.origin}/api/v3`;
  return { api, owner, repo };
}

export function githubStatusRequest(
  endpoint: ProviderEndpoint,
  notification: Notification,
): OutgoingRequest | SkippedRequest {
  const { event } = notification;
  const skip = commitStatusSkipReason(event);
  if (skip !== undefined) return { skipped: skip };
  const { api, owner, repo } = githubRepository(endpoint);
  const status: GitHubStatus = {
    state: githubState(event),
    context: commitStatusContext(endpoint, event),
    description: commitStatusDescription(event, notificationText(notification)),
  };
  const repository = `${api}/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}`;
  const sha = commitSha(event);
  const headers = mergeHeaders(endpoint.headers, {
    Accept: 'application/vnd.github+json',
    'X-GitHub-Api-Version': '2022-11-28',
    'User-Agent': 'ferry',
    Authorization: `Bearer ${endpoint.token ?? ''}`,
  });
  return {
    url: `${repository}/statuses/${sha}`,
    headers: mergeHeaders(headers, JSON_CONTENT_TYPE),
    body: JSON.stringify(status),
    duplicateCheck: {
      url: `${repository}/commits/${sha}/statuses?per_page=50`,
      headers,
      isDuplicate: (answer) => isSameAsLatest(answer, status),
    },
  };
}

/** GitHub lists a commit's statuses newest first; the first with our context is the one shown. */
function isSameAsLatest(answer: unknown, status: GitHubStatus): boolean {
  if (!Array.isArray(answer)) return false;
  const latest = (answer as Partial<GitHubStatus>[]).find((s) => s?.context === status.context);
  return latest?.state === status.state && latest.description === status.description;
}
