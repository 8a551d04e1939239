/**
 * `nexus`: Nexus Repository 3 repository webhooks. Nexus signs the body with the webhook's secret
 * key: `X-Nexus-Webhook-Signature` is the hex HMAC-SHA1 of the raw body, as Flux checks it.
 * `X-Nexus-Webhook-Delivery` names the delivery. Of the repository events, the component events
 * (`rm:repository:component`: a docker component is an image, its version a tag) and the asset
 * events (`rm:repository:asset`: a docker manifest asset is `v2/<image>/manifests/<tag>`) of the
 * docker format say what was pushed; created and updated count, deletions and other formats are
 * ignored. Nexus does not say on which host it serves a docker repository (a connector port or a
 * reverse proxy decides), so the Receiver's Secret names it under its `registry` key.
 */
import * as z from 'zod';
import type { ImageHint } from './image-hints.ts';
import { parseJsonBody } from './payload.ts';
import type { ReceiverHandler } from './receiver-handler.ts';
import { ReceiverPayloadError } from './receiver-handler.ts';
import { receiverSecretValue } from './receiver-secret.ts';
import { registryOutcome } from './registry-outcome.ts';
import { verifyHexHmac } from './verify.ts';

const SENDER = 'nexus';

const PUSH_ACTIONS = new Set(['CREATED', 'UPDATED']);

const MANIFEST_ASSET = /^\/?v2\/(.+)\/manifests\/([^/]+)$/;

const eventSchema = z.object({
  repositoryName: z.string(),
  action: z.string(),
  component: z
    .object({
      format: z.string(),
      name: z.string(),
      version: z.string().nullish(),
      group: z.string().nullish(),
    })
    .nullish(),
  asset: z.object({ format: z.string(), name: z.string() }).nullish(),
});

export const nexusReceiver: ReceiverHandler = (request) => {
  const { headers, body, token } = request;
  verifyHexHmac(body, token, headers.get('x-nexus-webhook-signature'), 'sha1', SENDER);
  const deliveryId = headers.get('x-nexus-webhook-delivery') ?? undefined;
  const event = parseJsonBody(eventSchema, body, SENDER);
  const pushed = pushedImage(event);
  if (typeof pushed === 'string')
    return registryOutcome(SENDER, { hints: [], ignored: [pushed] }, deliveryId);
  const registry = receiverSecretValue(request, 'registry');
  if (!registry) {
    throw new ReceiverPayloadError(
      `${SENDER}: the Receiver's Secret has no "registry" key naming the host that serves ${event.repositoryName}`,
      { data: { sender: SENDER, repository: event.repositoryName } },
    );
  }
  const hint: ImageHint = { image: `${registry.replace(/\/+$/, '')}/${pushed.name}`, tag: pushed.tag };
  return registryOutcome(SENDER, { hints: [hint], ignored: [] }, deliveryId);
};

/** The docker image and tag an event reports pushed, or what it is instead. */
function pushedImage(event: z.output<typeof eventSchema>): { name: string; tag: string } | string {
  const { action, component, asset, repositoryName } = event;
  const subject = component ?? asset;
  if (!subject) return `${action.toLowerCase()} event in ${repositoryName}`;
  const what = component ? `component ${component.name}` : `asset ${subject.name}`;
  if (subject.format !== 'docker') return `${subject.format} ${what}`;
  if (!PUSH_ACTIONS.has(action)) return `${action.toLowerCase()} ${what}`;
  if (component) {
    const tag = component.version;
    return tag && !tag.includes(':') ? { name: component.name, tag } : `untagged ${what}`;
  }
  const manifest = MANIFEST_ASSET.exec(subject.name);
  if (!manifest) return `blob ${what}`;
  const tag = manifest[2]!;
  return tag.includes(':') ? `untagged ${what}` : { name: manifest[1]!, tag };
}
