/**
 * `gitea` (ferry's extension; Forgejo too): Gitea and Forgejo sign the raw body with the webhook's
 * secret, a bare hex HMAC-SHA256 in `X-Gitea-Signature` (Forgejo's own `X-Forgejo-Signature` is
 * read first when present). `X-Gitea-Event` (`X-Forgejo-Event`) names the event and the Receiver's
 * `events`, when set, lists those it accepts. `push`, for branches and tags alike, syncs the
 * GitRepositories that follow the pushed ref; any other event is answered and ignored. The payload
 * is GitHub's shape: `ref`, `after`, `repository.clone_url`/`ssh_url`/`html_url`.
 */
import * as z from 'zod';
import { gitPushOutcome, requireListedEvent } from './git-push.ts';
import { parseJsonBody } from './payload.ts';
import type { ReceiverHandler, ReceiverOutcome, ReceiverRequest } from './receiver-handler.ts';
import { ReceiverPayloadError } from './receiver-handler.ts';
import { verifyHexHmac } from './verify.ts';

const SENDER = 'gitea';

/** The push payload, as Gitea's "Webhooks" documentation shows it. */
const pushSchema = z.object({
  ref: z.string().min(1),
  after: z.string(),
  repository: z.object({
    clone_url: z.string().nullish(),
    ssh_url: z.string().nullish(),
    html_url: z.string().nullish(),
  }),
});

export const giteaReceiver: ReceiverHandler = (request) => {
  const { headers, body, token, receiver } = request;
  const signature = headers.get('x-forgejo-signature') ?? headers.get('x-gitea-signature');
  verifyHexHmac(body, token, signature, 'sha256', SENDER);
  const event = (headers.get('x-forgejo-event') ?? headers.get('x-gitea-event'))?.trim();
  if (!event) {
    throw new ReceiverPayloadError(`${SENDER}: no X-Gitea-Event header`, { data: { sender: SENDER } });
  }
  requireListedEvent(receiver, event, SENDER);
  const outcome: ReceiverOutcome =
    event === 'push' ? pushOutcome(request) : { jobs: [], message: `${event} events are ignored` };
  const deliveryId = (headers.get('x-forgejo-delivery') ?? headers.get('x-gitea-delivery'))?.trim();
  return deliveryId ? { ...outcome, deliveryId } : outcome;
};

function pushOutcome(request: ReceiverRequest): ReceiverOutcome {
  const push = parseJsonBody(pushSchema, request.body, SENDER);
  const { clone_url, ssh_url, html_url } = push.repository;
  const repositoryUrls = [clone_url, ssh_url, html_url].filter((u): u is string => !!u);
  return gitPushOutcome(request, [{ repositoryUrls, ref: push.ref, sha: push.after }]);
}
