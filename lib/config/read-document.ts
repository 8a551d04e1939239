/**
 * One YAML document to one Flux object: decide whether ferry reads it, validate it against its
 * kind's schema, apply defaults, and say precisely what is wrong when it does not validate.
 */
import * as z from 'zod';
import { resolveApiVersion } from './api-versions.ts';
import type { ConfigIssue } from './config-error.ts';
import type { FluxObject, SourceLocation } from './flux-object.ts';
import { fieldIssues, schemaErrorMap } from './schema-issues.ts';
import { DEFAULT_NAMESPACE, metadataSchema } from './schemas/common.ts';
import { configMapDocumentSchema } from './schemas/config-map.ts';
import { secretDocumentSchema } from './schemas/secret.ts';

export type DocumentOutcome =
  | { status: 'ignored' }
  | { status: 'read'; object: FluxObject }
  /** `key` is the object's `Kind/namespace/name` when the document names one, valid or not. */
  | { status: 'invalid'; key?: string; issues: ConfigIssue[] };

const documentSchemas = new WeakMap<z.ZodType, z.ZodType>();

function documentSchema(spec: z.ZodType): z.ZodType {
  let schema = documentSchemas.get(spec);
  if (schema === undefined) {
    schema = z.strictObject({
      apiVersion: z.string(),
      kind: z.string(),
      metadata: metadataSchema,
      spec,
      // Exported manifests may carry status; it is the cluster's record, not config, and is dropped.
      status: z.unknown().optional(),
    });
    documentSchemas.set(spec, schema);
  }
  return schema;
}

/** Reads one parsed YAML document found at `location`. */
export function readDocument(value: unknown, location: SourceLocation): DocumentOutcome {
  if (value === undefined) return { status: 'ignored' };
  if (!isMapping(value)) {
    return invalid(undefined, location, [
      { path: '', message: `must be a mapping (a Kubernetes object), not ${describe(value)}` },
    ]);
  }

  const resolution = resolveApiVersion(value.apiVersion, value.kind);
  if (resolution.action === 'ignore') return { status: 'ignored' };
  const key = identify(value);
  if (resolution.action === 'reject') {
    return invalid(key, location, [{ path: resolution.path, message: resolution.message }]);
  }

  const data = withoutNulls(value);
  const schema =
    resolution.action === 'secret'
      ? secretDocumentSchema
      : resolution.action === 'config-map'
        ? configMapDocumentSchema
        : documentSchema(resolution.spec);
  const parsed = schema.safeParse(data, { error: schemaErrorMap });
  if (!parsed.success) return invalid(key, location, fieldIssues(parsed.error));

  const { status: _status, ...object } = parsed.data as FluxObject & { status?: unknown };
  return { status: 'read', object: { ...object, source: { ...location } } as FluxObject };
}

function invalid(
  key: string | undefined,
  location: SourceLocation,
  issues: { path: string; message: string }[],
): DocumentOutcome {
  return {
    status: 'invalid',
    key,
    issues: issues.map((issue) => ({ ...location, ...(key === undefined ? {} : { object: key }), ...issue })),
  };
}

/** `Kind/namespace/name` as far as the raw document tells it, for issues about a document that failed. */
function identify(value: Record<string, unknown>): string | undefined {
  const metadata = value.metadata;
  if (typeof value.kind !== 'string' || !isMapping(metadata) || typeof metadata.name !== 'string')
    return undefined;
  const namespace =
    typeof metadata.namespace === 'string' && metadata.namespace !== ''
      ? metadata.namespace
      : DEFAULT_NAMESPACE;
  return `${value.kind}/${namespace}/${metadata.name}`;
}

/** Kubernetes treats a null field as an absent one (`ref:` with nothing after it); so does ferry. */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (!isMapping(value)) return value;
  const copy: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== null) copy[k] = withoutNulls(v);
  return copy;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  return `a ${typeof value}`;
}
