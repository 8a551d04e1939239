/**
 * `dockerhub`: Docker Hub repository webhooks. Docker Hub neither signs its deliveries nor lets a
 * header be configured, so, as in Flux, the secret webhook path is the only credential: the HTTP
 * layer has already matched it in constant time. Docker Hub sends pushes only; the payload names
 * the repository (`repository.repo_name`) and the pushed tag (`push_data.tag`).
 */
import * as z from 'zod';
import { parseJsonBody } from './payload.ts';
import type { ReceiverHandler } from './receiver-handler.ts';
import { registryOutcome } from './registry-outcome.ts';

const SENDER = 'dockerhub';

const pushSchema = z.object({
  push_data: z.object({ tag: z.string().nullish() }),
  repository: z.object({ repo_name: z.string().min(1) }),
});

export const dockerhubReceiver: ReceiverHandler = ({ body }) => {
  const { push_data, repository } = parseJsonBody(pushSchema, body, SENDER);
  const tag = push_data.tag;
  return registryOutcome(
    SENDER,
    tag
      ? { hints: [{ image: repository.repo_name, tag }], ignored: [] }
      : { hints: [], ignored: [`untagged push to ${repository.repo_name}`] },
  );
};
