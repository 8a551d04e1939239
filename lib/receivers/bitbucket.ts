/**
 * `bitbucket` (and ferry's `bitbucketserver`): Bitbucket Cloud and Bitbucket Server / Data Center
 * webhooks, told apart by their event. Both sign the raw body with the webhook's secret as
 * `X-Hub-Signature: sha256=<hex>`, as Flux's bitbucket receiver checks; `X-Event-Key` names the
 * event and the Receiver's `events`, when set, lists those it accepts, as in Flux.
 * - Cloud `repo:push`: `push.changes[].new` is the ref after the push (`type` branch or tag, `name`,
 *   `target.hash`), null when the ref was deleted; the repository is `links.html.href`.
 * - Server `repo:refs_changed`: `changes[]` with `ref.id` (full ref name), `toHash` and `type`
 *   (ADD, UPDATE, DELETE); the repository is `links.clone[].href`.
 * One push may change several refs; each counts. Server's "Test connection" (`diagnostics:ping`)
 * is answered; any other event is answered and ignored. The delivery id is Cloud's
 * `X-Request-UUID` or Server's `X-Request-Id`.
 */
import * as z from 'zod';
import type { GitPush } from './git-push.ts';
import { gitPushOutcome, requireListedEvent } from './git-push.ts';
import { bodyText, parseJson, parsePayload } from './payload.ts';
import type { ReceiverHandler, ReceiverOutcome, ReceiverRequest } from './receiver-handler.ts';
import { ReceiverPayloadError } from './receiver-handler.ts';
import { verifyPrefixedHmac } from './verify.ts';

const SENDER = 'bitbucket';

const cloudRef = z.object({
  type: z.string(),
  name: z.string().min(1),
  target: z.object({ hash: z.string() }),
});

/** Bitbucket Cloud's `repo:push`, per "Event payloads" in Bitbucket Cloud's documentation. */
const cloudPushSchema = z.object({
  push: z.object({ changes: z.array(z.object({ new: cloudRef.nullish(), old: cloudRef.nullish() })) }),
  repository: z.object({
    full_name: z.string().nullish(),
    links: z.object({ html: z.object({ href: z.string() }).nullish() }).nullish(),
  }),
});

/** Bitbucket Server's `repo:refs_changed`, per "Event payload" in Bitbucket Data Center's docs. */
const serverPushSchema = z.object({
  changes: z.array(
    z.object({
      ref: z.object({ id: z.string().min(1) }),
      toHash: z.string(),
      type: z.string(),
    }),
  ),
  repository: z.object({
    links: z.object({ clone: z.array(z.object({ href: z.string() })).nullish() }).nullish(),
  }),
});

/** The pushes of each event ferry acts on, by `X-Event-Key`. */
const PUSH_EVENTS: Readonly<Record<string, (payload: unknown) => GitPush[]>> = {
  'repo:push': (payload) => {
    const { push, repository } = parsePayload(cloudPushSchema, payload, SENDER);
    const html = repository.links?.html?.href;
    const repositoryUrls = [html, repository.full_name && `https://bitbucket.org/${repository.full_name}`];
    const urls = repositoryUrls.filter((u): u is string => !!u);
    return push.changes.flatMap((change) => {
      const ref = change.new ?? change.old;
      const prefix = ref?.type === 'branch' ? 'refs/heads/' : ref?.type.endsWith('tag') ? 'refs/tags/' : '';
      if (!ref || prefix === '') return [];
      return [{ repositoryUrls: urls, ref: `${prefix}${ref.name}`, sha: change.new?.target.hash }];
    });
  },
  'repo:refs_changed': (payload) => {
    const { changes, repository } = parsePayload(serverPushSchema, payload, SENDER);
    const repositoryUrls = (repository.links?.clone ?? []).map((c) => c.href);
    return changes.map((change) => ({
      repositoryUrls,
      ref: change.ref.id,
      sha: change.type.toUpperCase() === 'DELETE' ? undefined : change.toHash,
    }));
  },
};

export const bitbucketReceiver: ReceiverHandler = (request) => {
  const { headers, body, token, receiver } = request;
  verifyPrefixedHmac(body, token, headers.get('x-hub-signature'), ['sha256'], SENDER);
  const event = headers.get('x-event-key')?.trim();
  if (!event) {
    throw new ReceiverPayloadError(`${SENDER}: no X-Event-Key header`, { data: { sender: SENDER } });
  }
  requireListedEvent(receiver, event, SENDER);
  const outcome = eventOutcome(request, event);
  const deliveryId = (headers.get('x-request-uuid') ?? headers.get('x-request-id'))?.trim();
  return deliveryId ? { ...outcome, deliveryId } : outcome;
};

function eventOutcome(request: ReceiverRequest, event: string): ReceiverOutcome {
  if (event === 'diagnostics:ping') return { jobs: [], message: 'ping answered' };
  if (!Object.hasOwn(PUSH_EVENTS, event)) return { jobs: [], message: `${event} events are ignored` };
  const payload = parseJson(bodyText(request.body, SENDER), SENDER);
  return gitPushOutcome(request, PUSH_EVENTS[event]!(payload));
}
