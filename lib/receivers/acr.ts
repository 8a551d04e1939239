/**
 * `acr`: Azure Container Registry webhooks. ACR does not sign its deliveries; it sends the custom
 * headers configured on the webhook. Flux checks nothing but the secret path; ferry also requires
 * the token in a header: `Authorization` (bare or `Bearer <token>`) unless the Receiver's Secret
 * names another under its `header` key. Each delivery is one event with an `id`; only `push`
 * (an image with a tag) is acted on, while `ping`, `delete`, `chart_push` and the rest are
 * answered and ignored. The image lives on `request.host`, the registry's login server.
 */
import * as z from 'zod';
import { parseJsonBody } from './payload.ts';
import type { ReceiverHandler } from './receiver-handler.ts';
import { ReceiverPayloadError } from './receiver-handler.ts';
import { receiverSecretValue } from './receiver-secret.ts';
import { registryOutcome } from './registry-outcome.ts';
import { verifyHeaderToken } from './verify.ts';

const SENDER = 'acr';

const eventSchema = z.object({
  id: z.string().nullish(),
  action: z.string(),
  target: z
    .object({ repository: z.string().nullish(), tag: z.string().nullish(), digest: z.string().nullish() })
    .nullish(),
  request: z.object({ host: z.string().nullish() }).nullish(),
});

export const acrReceiver: ReceiverHandler = (request) => {
  const { headers, body, token } = request;
  verifyHeaderToken(headers, token, SENDER, { header: receiverSecretValue(request, 'header') });
  const { id, action, target, request: origin } = parseJsonBody(eventSchema, body, SENDER);
  const deliveryId = id ?? undefined;
  const repository = target?.repository;
  if (action !== 'push') {
    return registryOutcome(SENDER, { hints: [], ignored: [`${action} event`] }, deliveryId);
  }
  if (!repository || !origin?.host) {
    throw new ReceiverPayloadError(`${SENDER}: a push event needs target.repository and request.host`, {
      data: { sender: SENDER },
    });
  }
  if (!target.tag) {
    return registryOutcome(SENDER, { hints: [], ignored: [`untagged push to ${repository}`] }, deliveryId);
  }
  const image = `${origin.host}/${repository}`;
  const hint = { image, tag: target.tag, ...(target.digest ? { digest: target.digest } : {}) };
  return registryOutcome(SENDER, { hints: [hint], ignored: [] }, deliveryId);
};
