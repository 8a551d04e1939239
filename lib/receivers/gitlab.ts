/**
 * `gitlab`: GitLab webhooks. GitLab does not sign; it sends the webhook's secret token as typed in
 * `X-Gitlab-Token`, compared here in constant time before the body is read. `X-Gitlab-Event` names
 * the event and the Receiver's `events`, when set, lists those it accepts, as in Flux. `Push Hook`
 * and `Tag Push Hook` (and a `System Hook` whose `object_kind` is `push` or `tag_push`) sync the
 * GitRepositories that follow the pushed ref; any other event is answered and ignored.
 * `Idempotency-Key` stays the same across GitLab's retries of one event, so it is the delivery id;
 * older GitLab sends only `X-Gitlab-Event-UUID`.
 */
import * as z from 'zod';
import { gitPushOutcome, requireListedEvent } from './git-push.ts';
import { bodyText, parseJson, parsePayload } from './payload.ts';
import type { ReceiverHandler, ReceiverOutcome, ReceiverRequest } from './receiver-handler.ts';
import { ReceiverPayloadError } from './receiver-handler.ts';
import { verifyHeaderToken } from './verify.ts';

const SENDER = 'gitlab';

const PUSH_EVENTS = ['Push Hook', 'Tag Push Hook', 'System Hook'];

const urls = z.object({
  git_http_url: z.string().nullish(),
  git_ssh_url: z.string().nullish(),
  web_url: z.string().nullish(),
  homepage: z.string().nullish(),
  url: z.string().nullish(),
});

/** GitLab's push and tag push payloads, documented under "Webhook events" in GitLab's docs. */
const pushSchema = z.object({
  object_kind: z.string(),
  ref: z.string().min(1),
  after: z.string(),
  /** The commit checked out after the push; null when the ref was deleted. */
  checkout_sha: z.string().nullish(),
  project: urls.nullish(),
  repository: urls.nullish(),
});

export const gitlabReceiver: ReceiverHandler = (request) => {
  const { headers, token, receiver } = request;
  verifyHeaderToken(headers, token, SENDER, { header: 'x-gitlab-token' });
  const event = headers.get('x-gitlab-event')?.trim();
  if (!event) {
    throw new ReceiverPayloadError(`${SENDER}: no X-Gitlab-Event header`, { data: { sender: SENDER } });
  }
  requireListedEvent(receiver, event, SENDER);
  const outcome = PUSH_EVENTS.includes(event) ? pushOutcome(request, event) : ignored(event);
  const deliveryId = (headers.get('idempotency-key') ?? headers.get('x-gitlab-event-uuid'))?.trim();
  return deliveryId ? { ...outcome, deliveryId } : outcome;
};

function pushOutcome(request: ReceiverRequest, event: string): ReceiverOutcome {
  const payload = parseJson(bodyText(request.body, SENDER), SENDER);
  const kind = parsePayload(z.object({ object_kind: z.string() }), payload, SENDER).object_kind;
  if (event === 'System Hook' && kind !== 'push' && kind !== 'tag_push') return ignored(`${event} ${kind}`);
  const push = parsePayload(pushSchema, payload, SENDER);
  const repositoryUrls = [push.project, push.repository]
    .flatMap((u) => [u?.git_http_url, u?.git_ssh_url, u?.web_url, u?.homepage, u?.url])
    .filter((u): u is string => !!u);
  const sha = push.checkout_sha ?? push.after;
  return gitPushOutcome(request, [{ repositoryUrls, ref: push.ref, sha }]);
}

function ignored(event: string): ReceiverOutcome {
  return { jobs: [], message: `${event} events are ignored` };
}
