/**
 * ImageRepository, image.toolkit.fluxcd.io/v1 and v1beta2: an image whose tags ferry lists.
 *
 * The two versions have the same spec field for field (v1 promoted v1beta2 unchanged), so one schema
 * serves both; the object keeps the apiVersion it was written with.
 */
import * as z from 'zod';
import { accessFrom, duration, goRegex, localObjectReference } from './common.ts';

/** Flux leaves out cosign signature tags unless told otherwise. */
export const DEFAULT_EXCLUSION_LIST: readonly string[] = ['^.*\\.sig$'];

export const imageRepositorySpecSchema = z
  .strictObject({
    image: z.string().min(1, 'must not be empty'),
    interval: duration,
    /** Left unset when unwritten: Flux uses the interval (at least 1s), and so does timeoutMs(). */
    timeout: duration.optional(),
    secretRef: localObjectReference.optional(),
    proxySecretRef: localObjectReference.optional(),
    serviceAccountName: z.string().max(253, 'must be at most 253 characters').optional(),
    certSecretRef: localObjectReference.optional(),
    suspend: z.boolean().optional(),
    accessFrom: accessFrom.optional(),
    /** Go regular expressions; tags matching any are never stored. Unset or empty means the default. */
    exclusionList: z.array(goRegex).max(25, 'must have at most 25 entries').optional(),
    provider: z.enum(['generic', 'aws', 'azure', 'gcp']).default('generic'),
    insecure: z.boolean().optional(),
  })
  .transform((spec) => ({
    ...spec,
    exclusionList:
      spec.exclusionList === undefined || spec.exclusionList.length === 0
        ? [...DEFAULT_EXCLUSION_LIST]
        : spec.exclusionList,
  }));

export type ImageRepositorySpec = z.output<typeof imageRepositorySpecSchema>;
