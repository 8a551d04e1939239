/**
 * `harbor`: Harbor project webhooks. Harbor sends the "Auth Header" configured on the webhook as
 * `Authorization`; as in Flux it must carry the Receiver's token (ferry also accepts it as
 * `Bearer <token>`). Two payload formats exist: "Default" (`type: PUSH_ARTIFACT`, `event_data`)
 * and, since Harbor 2.8, "CloudEvents" (`type: harbor.artifact.pushed`, `data`, and an `id` that
 * names the delivery). A resource pushed by digest carries the digest as its `tag`: it is ignored,
 * like every event that is not a push.
 */
import * as z from 'zod';
import type { ImageHint } from './image-hints.ts';
import { parseJsonBody, parsePayload } from './payload.ts';
import type { ReceiverHandler } from './receiver-handler.ts';
import { ReceiverPayloadError } from './receiver-handler.ts';
import { registryOutcome } from './registry-outcome.ts';
import { verifyHeaderToken } from './verify.ts';

const SENDER = 'harbor';

const PUSH_TYPES = new Set(['PUSH_ARTIFACT', 'harbor.artifact.pushed']);

const envelopeSchema = z.object({
  type: z.string(),
  specversion: z.string().nullish(),
  id: z.string().nullish(),
  data: z.unknown().optional(),
  event_data: z.unknown().optional(),
});

const eventDataSchema = z.object({
  resources: z
    .array(
      z.object({
        digest: z.string().nullish(),
        tag: z.string().nullish(),
        resource_url: z.string().nullish(),
      }),
    )
    .nullish(),
  repository: z.object({ repo_full_name: z.string().min(1) }),
});

export const harborReceiver: ReceiverHandler = ({ headers, body, token }) => {
  verifyHeaderToken(headers, token, SENDER);
  const envelope = parseJsonBody(envelopeSchema, body, SENDER);
  const cloudEvent = Boolean(envelope.specversion);
  const deliveryId = cloudEvent ? (envelope.id ?? undefined) : undefined;
  if (!PUSH_TYPES.has(envelope.type)) {
    return registryOutcome(SENDER, { hints: [], ignored: [`${envelope.type} event`] }, deliveryId);
  }
  const data = parsePayload(eventDataSchema, cloudEvent ? envelope.data : envelope.event_data, SENDER);
  const repository = data.repository.repo_full_name;
  const hints: ImageHint[] = [];
  const ignored: string[] = [];
  for (const resource of data.resources ?? []) {
    const { tag, digest } = resource;
    if (!tag || tag.includes(':')) {
      ignored.push(`untagged push to ${repository}`);
      continue;
    }
    const host = hostOf(resource.resource_url);
    if (!host) {
      throw new ReceiverPayloadError(`${SENDER}: a pushed resource of ${repository} has no resource_url`, {
        data: { sender: SENDER, repository },
      });
    }
    hints.push({ image: `${host}/${repository}`, tag, ...(digest ? { digest } : {}) });
  }
  return registryOutcome(SENDER, { hints, ignored }, deliveryId);
};

/** `hub.harbor.com` of `hub.harbor.com/test-webhook/debian:latest`. */
function hostOf(resourceUrl: string | null | undefined): string | undefined {
  const slash = resourceUrl?.indexOf('/') ?? -1;
  return slash > 0 ? resourceUrl?.slice(0, slash) : undefined;
}
