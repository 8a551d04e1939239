/**
 * `ecr` (a ferry extension): Amazon ECR pushes, as the EventBridge "ECR Image Action" event. Over
 * HTTP it arrives through an EventBridge API destination, whose connection sends an API key
 * header: the Receiver's token, in `Authorization` (bare or `Bearer <token>`) unless the Secret's
 * `header` key names another. On AWS the same event reaches a Lambda straight from an EventBridge
 * rule, without HTTP, so the mapping from event to hints is exported on its own.
 */
import * as z from 'zod';
import type { ImageHint } from './image-hints.ts';
import { parseJsonBody } from './payload.ts';
import type { ReceiverHandler } from './receiver-handler.ts';
import { receiverSecretValue } from './receiver-secret.ts';
import { registryOutcome } from './registry-outcome.ts';
import { verifyHeaderToken } from './verify.ts';

const SENDER = 'ecr';

/** The `detail` of an "ECR Image Action" event, as EventBridge delivers it. */
export interface EcrImageActionDetail {
  'action-type'?: string | null;
  result?: string | null;
  'repository-name'?: string | null;
  'image-tag'?: string | null;
  'image-digest'?: string | null;
}

/**
 * The image a successful tagged push made: `<account>.dkr.ecr.<region>.amazonaws.com/<repository>`
 * (`.amazonaws.com.cn` in the China regions). Failed pushes, deletes and pushes without a tag
 * yield nothing.
 */
export function ecrEventHints(detail: EcrImageActionDetail, account: string, region: string): ImageHint[] {
  const repository = detail['repository-name'];
  const tag = detail['image-tag'];
  if (detail['action-type'] !== 'PUSH' || detail.result !== 'SUCCESS' || !repository || !tag) return [];
  const domain = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  const digest = detail['image-digest'];
  return [
    { image: `${account}.dkr.ecr.${region}.${domain}/${repository}`, tag, ...(digest ? { digest } : {}) },
  ];
}

const eventSchema = z.object({
  id: z.string().nullish(),
  'detail-type': z.string(),
  source: z.string(),
  account: z.string().regex(/^\d{12}$/, 'expected a 12-digit account id'),
  region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'expected an AWS region'),
  detail: z.object({
    'action-type': z.string().nullish(),
    result: z.string().nullish(),
    'repository-name': z.string().nullish(),
    'image-tag': z.string().nullish(),
    'image-digest': z.string().nullish(),
  }),
});

export const ecrReceiver: ReceiverHandler = (request) => {
  const { headers, body, token } = request;
  verifyHeaderToken(headers, token, SENDER, { header: receiverSecretValue(request, 'header') });
  const event = parseJsonBody(eventSchema, body, SENDER);
  const deliveryId = event.id ?? undefined;
  if (event.source !== 'aws.ecr' || event['detail-type'] !== 'ECR Image Action') {
    return registryOutcome(SENDER, { hints: [], ignored: [`${event['detail-type']} event`] }, deliveryId);
  }
  const hints = ecrEventHints(event.detail, event.account, event.region);
  return registryOutcome(
    SENDER,
    { hints, ignored: hints.length > 0 ? [] : [ignoredAction(event.detail)] },
    deliveryId,
  );
};

function ignoredAction(detail: EcrImageActionDetail): string {
  const repository = detail['repository-name'] ?? 'a repository';
  const action = detail['action-type'];
  if (action !== 'PUSH') return `${action?.toLowerCase() ?? 'unnamed action'} of ${repository}`;
  if (detail.result !== 'SUCCESS') return `failed push to ${repository}`;
  return `untagged push to ${repository}`;
}
