/**
 * `distribution` (a ferry extension): the notifications of a CNCF distribution registry. The
 * registry sends an envelope of events with the headers its endpoint is configured with, so the
 * Receiver's token is checked against `Authorization` (bare or `Bearer`). Only a manifest pushed
 * with a tag names something a policy can select; layer uploads, pulls, deletes and pushes by
 * digest (the platform manifests of an index) are answered and ignored.
 */
import * as z from 'zod';
import type { ImageHint } from './image-hints.ts';
import { parseJsonBody } from './payload.ts';
import type { ReceiverHandler } from './receiver-handler.ts';
import { ReceiverPayloadError } from './receiver-handler.ts';
import { registryOutcome } from './registry-outcome.ts';
import { verifyHeaderToken } from './verify.ts';

const SENDER = 'distribution';

/** The envelope media types of distribution 2.x and 3.x; plain JSON for hand-made deliveries. */
const ENVELOPE_MEDIA_TYPES = new Set([
  'application/vnd.docker.distribution.events.v1+json',
  'application/vnd.docker.distribution.events.v2+json',
  'application/json',
]);

const MANIFEST_MEDIA_TYPE =
  /^application\/vnd\.(docker\.distribution\.manifest\.|oci\.image\.(manifest|index)\.)/;

const envelopeSchema = z.object({
  events: z.array(
    z.object({
      id: z.string().nullish(),
      action: z.string(),
      target: z.object({
        mediaType: z.string().nullish(),
        digest: z.string().nullish(),
        repository: z.string(),
        url: z.string().nullish(),
        tag: z.string().nullish(),
      }),
      request: z.object({ host: z.string().nullish() }).nullish(),
    }),
  ),
});

export const distributionReceiver: ReceiverHandler = ({ headers, body, token }) => {
  verifyHeaderToken(headers, token, SENDER);
  const mediaType = headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
  if (mediaType && !ENVELOPE_MEDIA_TYPES.has(mediaType)) {
    throw new ReceiverPayloadError(`${SENDER}: ${mediaType} is not a notification envelope`, {
      data: { sender: SENDER, mediaType },
    });
  }
  const { events } = parseJsonBody(envelopeSchema, body, SENDER);
  const hints: ImageHint[] = [];
  const ignored: string[] = [];
  for (const { action, target, request } of events) {
    const { repository, tag } = target;
    if (action !== 'push') ignored.push(`${action} of ${repository}`);
    else if (!MANIFEST_MEDIA_TYPE.test(target.mediaType ?? '')) ignored.push(`blob push to ${repository}`);
    else if (!tag) ignored.push(`untagged manifest push to ${repository}`);
    else {
      const host = request?.host || hostOf(target.url);
      if (!host) {
        throw new ReceiverPayloadError(`${SENDER}: a push to ${repository} names no registry host`, {
          data: { sender: SENDER, repository },
        });
      }
      hints.push({
        image: `${host}/${repository}`,
        tag,
        ...(target.digest ? { digest: target.digest } : {}),
      });
    }
  }
  const ids = events.map((e) => e.id).filter((id): id is string => Boolean(id));
  return registryOutcome(SENDER, { hints, ignored }, ids.length > 0 ? ids.join(',') : undefined);
};

function hostOf(url: string | null | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).host || undefined;
  } catch {
    return undefined;
  }
}
