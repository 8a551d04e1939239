/**
 * Receiver, notification.toolkit.fluxcd.io/v1: a webhook at `/hook/<digest>` that wakes objects.
 */
import * as z from 'zod';
import { crossNamespaceObjectReference, duration, localObjectReference } from './common.ts';

/** The senders Flux's Receiver knows. */
export const FLUX_RECEIVER_TYPES = [
  'generic',
  'generic-hmac',
  'github',
  'gitlab',
  'bitbucket',
  'harbor',
  'dockerhub',
  'quay',
  'gcr',
  'nexus',
  'acr',
  'cdevents',
] as const;

/**
 * ferry's extensions, not part of Flux's API: a manifest using one is valid for ferry only.
 * - `gitea`: Gitea push webhooks (HMAC-signed).
 * - `bitbucketserver`: Bitbucket Server / Data Center push webhooks (HMAC-signed).
 * - `distribution`: CNCF distribution registry notifications (push events).
 * - `ghcr`: GitHub package (container registry) webhooks.
 * - `ecr`: Amazon ECR image push events delivered through EventBridge.
 * - `artifactregistry`: Google Artifact Registry Pub/Sub push messages.
 */
export const FERRY_RECEIVER_TYPES = [
  'gitea',
  'bitbucketserver',
  'distribution',
  'ghcr',
  'ecr',
  'artifactregistry',
] as const;

export const RECEIVER_TYPES = [...FLUX_RECEIVER_TYPES, ...FERRY_RECEIVER_TYPES] as const;

export type ReceiverType = (typeof RECEIVER_TYPES)[number];

export const receiverSpecSchema = z.strictObject({
  type: z.enum(RECEIVER_TYPES),
  /** How often the Receiver is reconciled with its Secret; Flux's default. */
  interval: duration.default('10m'),
  /** Event types to act on, e.g. `push` for GitHub or `Push Hook` for GitLab; empty means all. */
  events: z.array(z.string()).optional(),
  resources: z.array(crossNamespaceObjectReference),
  /** A CEL expression over each resource; false skips it. */
  resourceFilter: z.string().optional(),
  /** The Secret whose `token` key authenticates the sender and names the webhook path. */
  secretRef: localObjectReference,
  suspend: z.boolean().optional(),
});

export type ReceiverSpec = z.output<typeof receiverSpecSchema>;
