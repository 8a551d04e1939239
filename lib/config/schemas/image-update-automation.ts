/**
 * ImageUpdateAutomation, image.toolkit.fluxcd.io/v1 and v1beta2: rewrite setter markers in a
 * GitRepository and push the commit.
 *
 * Where the versions differ: v1 adds `git.commit.signingKey.type` (`gpg` or `ssh`, default `gpg`;
 * v1beta2 signs with OpenPGP only and rejects the field), and v1 refuses a push refspec that starts
 * with `+` or `:` (force-updates and deletions), which v1beta2 lets through. The in-memory shape is
 * v1's; a v1beta2 object reads as `type: 'gpg'`, which is what it means.
 */
import * as z from 'zod';
import {
  duration,
  gitRepositoryRef,
  labelSelector,
  localObjectReference,
  namespaceName,
  objectName,
  stringMap,
} from './common.ts';

function automationSpec(version: 'v1' | 'v1beta2') {
  const signingKey =
    version === 'v1'
      ? z.strictObject({ secretRef: localObjectReference, type: z.enum(['gpg', 'ssh']).default('gpg') })
      : z
          .strictObject({ secretRef: localObjectReference })
          .transform((key) => ({ ...key, type: 'gpg' as const }));
  const refspec =
    version === 'v1'
      ? z
          .string()
          .regex(/^$|^[^+:]/, 'must not start with "+" or ":" (force and delete refspecs are not supported)')
      : z.string();

  return z.strictObject({
    sourceRef: z.strictObject({
      apiVersion: z.string().optional(),
      kind: z.enum(['GitRepository']).default('GitRepository'),
      name: objectName,
      namespace: namespaceName.optional(),
    }),
    /** Optional in Flux's schema, but its controller refuses to run without it; so does ferry. */
    git: z.strictObject({
      /** Unset: the referenced GitRepository's ref. */
      checkout: z.strictObject({ ref: gitRepositoryRef }).optional(),
      commit: z.strictObject({
        author: z.strictObject({
          name: z.string().optional(),
          email: z.string().min(1, 'must not be empty'),
        }),
        signingKey: signingKey.optional(),
        messageTemplate: z.string().optional(),
        messageTemplateValues: stringMap.optional(),
      }),
      /** Unset: push back to the checked-out branch. */
      push: z
        .strictObject({
          branch: z.string().optional(),
          refspec: refspec.optional(),
          options: stringMap.optional(),
        })
        .optional(),
    }),
    interval: duration,
    /** Which ImagePolicies in the namespace apply; unset means all of them. */
    policySelector: labelSelector.optional(),
    update: z
      .strictObject({ strategy: z.enum(['Setters']).default('Setters'), path: z.string().default('./') })
      .prefault({}),
    suspend: z.boolean().optional(),
  });
}

export const imageUpdateAutomationSpecSchemaV1 = automationSpec('v1');
export const imageUpdateAutomationSpecSchemaV1beta2 = automationSpec('v1beta2');

export type ImageUpdateAutomationSpec = z.output<typeof imageUpdateAutomationSpecSchemaV1>;
