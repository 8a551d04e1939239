/**
 * `quay`: Quay "Repository Push" notifications. Quay does not sign them, so, as in Flux, the
 * secret webhook path is the only credential. The payload names the image (`docker_url`, host
 * included, which also serves self-hosted Quay) and the tags the push updated (`updated_tags`: a
 * list today, a map of tag to image id in older Quay). Other notifications (builds, scans) carry
 * no `updated_tags` and are answered and ignored.
 */
import * as z from 'zod';
import { parseJsonBody } from './payload.ts';
import type { ReceiverHandler } from './receiver-handler.ts';
import { registryOutcome } from './registry-outcome.ts';

const SENDER = 'quay';

const notificationSchema = z.object({
  docker_url: z.string().min(1),
  updated_tags: z.union([z.array(z.string()), z.record(z.string(), z.unknown())]).nullish(),
});

export const quayReceiver: ReceiverHandler = ({ body }) => {
  const { docker_url: image, updated_tags } = parseJsonBody(notificationSchema, body, SENDER);
  if (!updated_tags)
    return registryOutcome(SENDER, { hints: [], ignored: [`notification for ${image} that is not a push`] });
  const tags = Array.isArray(updated_tags) ? updated_tags : Object.keys(updated_tags);
  return registryOutcome(SENDER, {
    hints: tags.map((tag) => ({ image, tag })),
    ignored: tags.length === 0 ? [`push to ${image} without tags`] : [],
  });
};
