/**
 * ImagePolicy, image.toolkit.fluxcd.io/v1 and v1beta2: how the latest tag of an ImageRepository is
 * chosen.
 *
 * Where the versions differ: v1 adds `spec.suspend` (v1beta2 has no such field and rejects it). v1's
 * controller would fall back to a 10m interval when digestReflectionPolicy is Always and no interval is
 * set, but both versions' validation rules demand the interval in that case, so the fallback is never
 * reached and both schemas below require it.
 */
import * as z from 'zod';
import { duration, goRegex, namespacedObjectReference } from './common.ts';

const order = z.enum(['asc', 'desc']).default('asc');

const policyChoice = z
  .strictObject({
    semver: z.strictObject({ range: z.string().min(1, 'must not be empty') }).optional(),
    alphabetical: z.strictObject({ order }).optional(),
    numerical: z.strictObject({ order }).optional(),
  })
  .superRefine((policy, ctx) => {
    const chosen = [policy.semver, policy.alphabetical, policy.numerical].filter((p) => p !== undefined);
    if (chosen.length !== 1) {
      ctx.addIssue({ code: 'custom', message: 'exactly one of semver, alphabetical, numerical must be set' });
    }
  });

const v1Fields = z.strictObject({
  imageRepositoryRef: namespacedObjectReference,
  policy: policyChoice,
  /** Narrows and optionally rewrites tags before ranking: Go regex syntax, `(?P<name>…)` included. */
  filterTags: z.strictObject({ pattern: goRegex.optional(), extract: z.string().optional() }).optional(),
  digestReflectionPolicy: z.enum(['Always', 'IfNotPresent', 'Never']).default('Never'),
  /** How often the digest of the chosen tag is re-read; only with digestReflectionPolicy Always. */
  interval: duration.optional(),
  suspend: z.boolean().optional(),
});

type PolicyFields = { digestReflectionPolicy: string; interval?: string | undefined };

function intervalMatchesReflection(spec: PolicyFields, ctx: z.RefinementCtx): void {
  if (spec.digestReflectionPolicy === 'Always' && spec.interval === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['interval'],
      message: 'is required when digestReflectionPolicy is Always',
    });
  }
  if (spec.digestReflectionPolicy !== 'Always' && spec.interval !== undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['interval'],
      message: 'is only accepted when digestReflectionPolicy is Always',
    });
  }
}

export const imagePolicySpecSchemaV1 = v1Fields.superRefine(intervalMatchesReflection);
export const imagePolicySpecSchemaV1beta2 = v1Fields
  .omit({ suspend: true })
  .superRefine(intervalMatchesReflection);

/** The one in-memory shape of both versions (a v1beta2 object simply never has `suspend`). */
export type ImagePolicySpec = z.output<typeof imagePolicySpecSchemaV1>;
