/**
 * Building blocks shared by the kind schemas: Kubernetes metadata, Flux's reference types, durations,
 * Go regular expressions and label selectors. Every object is strict, as the Kubernetes API server is
 * with strict field validation: a misspelt field is an error, never silently dropped.
 */
import { RE2JS } from 're2js';
import * as z from 'zod';
import { parseDuration } from '../duration.ts';

export const DEFAULT_NAMESPACE = 'flux-system';

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** An object name as Kubernetes accepts it: an RFC 1123 subdomain of at most 253 characters. */
export const objectName = z
  .string()
  .min(1, 'must not be empty')
  .max(253, 'must be at most 253 characters')
  .regex(DNS_SUBDOMAIN, 'must be lowercase letters, digits, "-" and ".", starting and ending alphanumeric');

/** A namespace name: an RFC 1123 label of at most 63 characters. */
export const namespaceName = z
  .string()
  .min(1, 'must not be empty')
  .max(63, 'must be at most 63 characters')
  .regex(DNS_LABEL, 'must be lowercase letters, digits and "-", starting and ending alphanumeric');

/** A map of string to string, as labels, annotations and substitution variables are. */
export const stringMap = z.record(z.string(), z.string());

/** A key of a Secret's or ConfigMap's data, as the API server checks it. */
export const dataKey = z
  .string()
  .max(253, 'must be at most 253 characters')
  .regex(/^[-._a-zA-Z0-9]+$/, 'keys must consist of letters, digits, "-", "_" and "."');

// Go's base64.StdEncoding, which decodes a Secret's []byte fields, skips line breaks.
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Base64 as the API server takes it in `data` and `binaryData`. */
export const base64Value = z
  .string()
  .refine((value) => BASE64.test(value.replace(/[\r\n]/g, '')), 'is not valid base64');

/** The bytes of a base64 value, line breaks skipped. */
export function decodeBase64(value: string): Buffer {
  return Buffer.from(value.replace(/[\r\n]/g, ''), 'base64');
}

/**
 * The part of metadata ferry keeps. Other metadata (uid, resourceVersion, finalizers, ...) may be
 * present in exported manifests and is accepted without being kept, as the API server would set it.
 */
export const metadataSchema = z
  .looseObject({
    name: objectName,
    namespace: namespaceName.default(DEFAULT_NAMESPACE),
    labels: stringMap.default({}),
    annotations: stringMap.default({}),
  })
  .transform(({ name, namespace, labels, annotations }) => ({ name, namespace, labels, annotations }));

/**
 * A Go `time.Duration` string, kept as written. Negative values parse in Go but mean nothing for an
 * interval or timeout, so they are refused. (Flux's CRDs are stricter still, `^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$`;
 * ferry accepts every spelling Go parses, which includes those.)
 */
export const duration = z
  .string({
    error: (issue) =>
      issue.input === undefined ? 'is required' : 'must be a duration string such as "30s", "5m" or "1h30m"',
  })
  .superRefine((text, ctx) => {
    let ms: number;
    try {
      ms = parseDuration(text);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
      return;
    }
    if (ms < 0)
      ctx.addIssue({ code: 'custom', message: `duration ${JSON.stringify(text)} must not be negative` });
  });

/** A Go (RE2) regular expression, `(?P<name>…)` included; compiled now so a typo fails the load. */
export const goRegex = z.string().superRefine((pattern, ctx) => {
  try {
    RE2JS.compile(pattern);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: `invalid regular expression: ${(error as Error).message}` });
  }
});

/** meta.LocalObjectReference: an object in the referrer's namespace. */
export const localObjectReference = z.strictObject({ name: objectName });

/** meta.NamespacedObjectReference: the namespace defaults to the referrer's. */
export const namespacedObjectReference = z.strictObject({
  name: objectName,
  namespace: namespaceName.optional(),
});

/** meta.SecretKeyReference: a Secret in the referrer's namespace, optionally one key of it. */
export const secretKeyReference = z.strictObject({ name: objectName, key: z.string().optional() });

/** meta.NamespacedObjectKindReference, as used by health checks. */
export const namespacedObjectKindReference = z.strictObject({
  apiVersion: z.string().optional(),
  kind: z.string().min(1, 'must not be empty'),
  name: objectName,
  namespace: namespaceName.optional(),
});

/** metav1.LabelSelector. */
export const labelSelector = z.strictObject({
  matchLabels: stringMap.optional(),
  matchExpressions: z
    .array(
      z.strictObject({
        key: z.string().min(1, 'must not be empty'),
        operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist']),
        values: z.array(z.string()).optional(),
      }),
    )
    .optional(),
});

/** acl.AccessFrom: which namespaces may refer to an object across namespaces. */
export const accessFrom = z.strictObject({
  namespaceSelectors: z.array(z.strictObject({ matchLabels: stringMap.optional() })),
});

/** notification v1 CrossNamespaceObjectReference: the objects an Alert watches or a Receiver wakes. */
export const crossNamespaceObjectReference = z
  .strictObject({
    apiVersion: z.string().optional(),
    kind: z.enum([
      'Bucket',
      'GitRepository',
      'Kustomization',
      'HelmRelease',
      'HelmChart',
      'HelmRepository',
      'ImageRepository',
      'ImagePolicy',
      'ImageUpdateAutomation',
      'OCIRepository',
      'ArtifactGenerator',
      'ExternalArtifact',
    ]),
    name: z.string().min(1, 'must not be empty').max(253, 'must be at most 253 characters'),
    namespace: z.string().min(1, 'must not be empty').max(253, 'must be at most 253 characters').optional(),
    matchLabels: stringMap.optional(),
  })
  .superRefine((ref, ctx) => {
    if (ref.matchLabels !== undefined && ref.name !== '*') {
      ctx.addIssue({ code: 'custom', path: ['matchLabels'], message: 'requires name to be "*"' });
    }
    if (ref.namespace === '*' && ref.name !== '*') {
      ctx.addIssue({ code: 'custom', path: ['namespace'], message: '"*" requires name to be "*" too' });
    }
  });

/** source v1 GitRepositoryRef; shared by GitRepository.spec.ref and the automation checkout. */
export const gitRepositoryRef = z.strictObject({
  branch: z.string().optional(),
  tag: z.string().optional(),
  semver: z.string().optional(),
  name: z.string().optional(),
  commit: z.string().optional(),
});
