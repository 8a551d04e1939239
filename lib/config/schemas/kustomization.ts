/**
 * Kustomization, kustomize.toolkit.fluxcd.io/v1: a path in a source, built and applied to the cluster.
 */
import * as z from 'zod';
import {
  duration,
  localObjectReference,
  namespacedObjectKindReference,
  namespaceName,
  objectName,
  secretKeyReference,
  stringMap,
} from './common.ts';

/** kustomize.Selector: which resources a patch or drift rule targets. */
const selector = z.strictObject({
  group: z.string().optional(),
  version: z.string().optional(),
  kind: z.string().optional(),
  namespace: z.string().optional(),
  name: z.string().optional(),
  annotationSelector: z.string().optional(),
  labelSelector: z.string().optional(),
});

/**
 * meta.KubeConfigReference: a remote cluster. With the `generic` provider the kubeconfig comes from a
 * Secret (key `value` unless named); the cloud providers build one from their own credentials.
 */
const kubeConfigReference = z
  .strictObject({
    provider: z.enum(['aws', 'azure', 'gcp', 'generic']).default('generic'),
    cluster: z.string().optional(),
    address: z
      .string()
      .regex(/^https:\/\/.*/, 'must be an https:// address')
      .optional(),
    serviceAccountName: z.string().optional(),
    secretRef: secretKeyReference.optional(),
  })
  .superRefine((ref, ctx) => {
    const generic = ref.provider === 'generic';
    if (generic && ref.secretRef === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['secretRef'],
        message: "is required for the 'generic' provider",
      });
    }
    if (!generic && ref.secretRef !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['secretRef'],
        message: `is not supported for provider '${ref.provider}'`,
      });
    }
    for (const field of ['serviceAccountName', 'cluster', 'address'] as const) {
      if (generic && ref[field] !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [field],
          message: "is not supported for the 'generic' provider",
        });
      }
    }
  });

/** Flux's source kinds; ferry fetches only GitRepository, which the reference check enforces. */
export const KUSTOMIZATION_SOURCE_KINDS = [
  'OCIRepository',
  'GitRepository',
  'Bucket',
  'ExternalArtifact',
] as const;

const kustomizationSpecFields = z.strictObject({
  commonMetadata: z
    .strictObject({ annotations: stringMap.optional(), labels: stringMap.optional() })
    .optional(),
  dependsOn: z
    .array(
      z.strictObject({
        name: objectName,
        namespace: namespaceName.optional(),
        readyExpr: z.string().optional(),
      }),
    )
    .optional(),
  decryption: z
    .strictObject({
      provider: z.enum(['sops']),
      serviceAccountName: z.string().optional(),
      secretRef: localObjectReference.optional(),
    })
    .optional(),
  interval: duration,
  /** Flux retries a failed reconciliation after this; unset, it waits a whole interval. */
  retryInterval: duration.optional(),
  kubeConfig: kubeConfigReference.optional(),
  /** The directory in the source to build; Flux's "None" is the source root, written here as `./`. */
  path: z.string().default('./'),
  postBuild: z
    .strictObject({
      substitute: stringMap.optional(),
      substituteFrom: z
        .array(
          z.strictObject({
            kind: z.enum(['Secret', 'ConfigMap']),
            name: objectName,
            optional: z.boolean().default(false),
          }),
        )
        .optional(),
    })
    .optional(),
  prune: z.boolean({
    error: (issue) => (issue.input === undefined ? 'is required' : 'must be true or false'),
  }),
  deletionPolicy: z.enum(['MirrorPrune', 'Delete', 'WaitForTermination', 'Orphan']).default('MirrorPrune'),
  healthChecks: z.array(namespacedObjectKindReference).optional(),
  namePrefix: z.string().min(1, 'must not be empty').max(200, 'must be at most 200 characters').optional(),
  nameSuffix: z.string().min(1, 'must not be empty').max(200, 'must be at most 200 characters').optional(),
  patches: z.array(z.strictObject({ patch: z.string(), target: selector.optional() })).optional(),
  images: z
    .array(
      z.strictObject({
        name: z.string(),
        newName: z.string().optional(),
        newTag: z.string().optional(),
        digest: z.string().optional(),
      }),
    )
    .optional(),
  serviceAccountName: z.string().optional(),
  sourceRef: z.strictObject({
    apiVersion: z.string().optional(),
    kind: z.enum(KUSTOMIZATION_SOURCE_KINDS),
    name: objectName,
    namespace: namespaceName.optional(),
  }),
  suspend: z.boolean().optional(),
  targetNamespace: z.string().min(1, 'must not be empty').max(63, 'must be at most 63 characters').optional(),
  /**
   * Left unset when unwritten: Flux derives it (interval minus 30s, at least 30s), and so does
   * timeoutMs() in flux-object.ts.
   */
  timeout: duration.optional(),
  force: z.boolean().default(false),
  wait: z.boolean().optional(),
  components: z.array(z.string()).optional(),
  ignoreMissingComponents: z.boolean().optional(),
  healthCheckExprs: z
    .array(
      z.strictObject({
        apiVersion: z.string(),
        kind: z.string(),
        current: z.string(),
        inProgress: z.string().optional(),
        failed: z.string().optional(),
      }),
    )
    .optional(),
  driftIgnoreRules: z
    .array(z.strictObject({ paths: z.array(z.string()), target: selector.optional() }))
    .optional(),
});

export const kustomizationSpecSchema = kustomizationSpecFields.transform((spec) => ({
  ...spec,
  retryInterval: spec.retryInterval ?? spec.interval,
}));

export type KustomizationSpec = z.output<typeof kustomizationSpecSchema>;
