/**
 * GitRepository, source.toolkit.fluxcd.io/v1: where ferry fetches manifests from and pushes image
 * updates to.
 */
import * as z from 'zod';
import { duration, gitRepositoryRef, localObjectReference } from './common.ts';

const gitRepositorySpecFields = z.strictObject({
  url: z.string().regex(/^(http|https|ssh):\/\/.*$/, 'must be an http://, https:// or ssh:// address'),
  secretRef: localObjectReference.optional(),
  /** How ferry authenticates; Flux's default is `generic` (the credentials in secretRef). */
  provider: z.enum(['generic', 'aws', 'azure', 'github']).default('generic'),
  serviceAccountName: z.string().optional(),
  interval: duration,
  timeout: duration.default('60s'),
  /**
   * What to check out. Flux's default is the `master` branch, both when `ref` is absent and when it
   * names none of branch, tag, semver, name or commit.
   */
  ref: gitRepositoryRef.optional(),
  verify: z
    .strictObject({
      mode: z.enum(['head', 'HEAD', 'Tag', 'TagAndHEAD']).default('HEAD'),
      secretRef: localObjectReference,
    })
    .optional(),
  proxySecretRef: localObjectReference.optional(),
  ignore: z.string().optional(),
  suspend: z.boolean().optional(),
  recurseSubmodules: z.boolean().optional(),
  include: z
    .array(
      z.strictObject({
        repository: localObjectReference,
        fromPath: z.string().optional(),
        toPath: z.string().optional(),
      }),
    )
    .optional(),
  sparseCheckout: z.array(z.string()).optional(),
});

export const gitRepositorySpecSchema = gitRepositorySpecFields
  .superRefine((spec, ctx) => {
    if (spec.serviceAccountName !== undefined && spec.provider !== 'azure' && spec.provider !== 'aws') {
      ctx.addIssue({
        code: 'custom',
        path: ['serviceAccountName'],
        message: "can only be set when provider is 'azure' or 'aws'",
      });
    }
  })
  .transform((spec) => {
    const ref = spec.ref ?? {};
    const named = [ref.branch, ref.tag, ref.semver, ref.name, ref.commit].some(
      (v) => v !== undefined && v !== '',
    );
    return { ...spec, ref: named ? ref : { ...ref, branch: 'master' } };
  });

export type GitRepositorySpec = z.output<typeof gitRepositorySpecSchema>;
export type GitRepositoryRef = z.output<typeof gitRepositoryRef>;
