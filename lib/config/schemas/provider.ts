/**
 * Provider, notification.toolkit.fluxcd.io/v1beta3: where alerts are delivered.
 */
import * as z from 'zod';
import { duration, localObjectReference } from './common.ts';

/** The types the v1beta3 API lists, in its order. */
export const PROVIDER_TYPES = [
  'slack',
  'discord',
  'msteams',
  'rocket',
  'generic',
  'generic-hmac',
  'github',
  'gitlab',
  'gitea',
  'bitbucketserver',
  'bitbucket',
  'azuredevops',
  'googlechat',
  'googlepubsub',
  'webex',
  'sentry',
  'azureeventhub',
  'telegram',
  'lark',
  'matrix',
  'opsgenie',
  'alertmanager',
  'grafana',
  'githubdispatch',
  'pagerduty',
  'datadog',
  'nats',
] as const;

export type ProviderType = (typeof PROVIDER_TYPES)[number];

/** Providers that post commit statuses, the only ones a commitStatusExpr applies to. */
const COMMIT_STATUS_TYPES: readonly string[] = [
  'github',
  'gitlab',
  'gitea',
  'bitbucketserver',
  'bitbucket',
  'azuredevops',
];

export const providerSpecSchema = z
  .strictObject({
    type: z.enum(PROVIDER_TYPES),
    /** Deprecated in v1beta3 and unused; accepted so existing manifests load. */
    interval: duration.optional(),
    channel: z.string().max(2048, 'must be at most 2048 characters').optional(),
    username: z.string().max(2048, 'must be at most 2048 characters').optional(),
    address: z.string().max(2048, 'must be at most 2048 characters').optional(),
    /** Left unset when unwritten: Flux waits 15s, and so does timeoutMs(). */
    timeout: duration.optional(),
    /** Deprecated in favour of proxySecretRef. */
    proxy: z
      .string()
      .max(2048, 'must be at most 2048 characters')
      .regex(/^(http|https):\/\/.*$/, 'must be an http:// or https:// address')
      .optional(),
    proxySecretRef: localObjectReference.optional(),
    secretRef: localObjectReference.optional(),
    serviceAccountName: z.string().optional(),
    certSecretRef: localObjectReference.optional(),
    suspend: z.boolean().optional(),
    commitStatusExpr: z.string().optional(),
  })
  .superRefine((spec, ctx) => {
    if (spec.commitStatusExpr !== undefined && !COMMIT_STATUS_TYPES.includes(spec.type)) {
      ctx.addIssue({
        code: 'custom',
        path: ['commitStatusExpr'],
        message: `is only supported for the ${COMMIT_STATUS_TYPES.join(', ')} provider types`,
      });
    }
  });

export type ProviderSpec = z.output<typeof providerSpecSchema>;
