import { randomBytes } from 'node:crypto';
import { parse as parseYaml } from 'yaml';
import type { JsonObject } from './field-paths.ts';
import { isObject } from './field-paths.ts';
import type { ObjectMeta } from './object-store.ts';
import { metaOf } from './object-store.ts';
import type { ResourceRegistry, ResourceType } from './resource-types.ts';
import { groupVersionOf } from './resource-types.ts';
import { badRequest, invalid } from './status-errors.ts';

/** The resource and namespace a request's URL names. */
export interface ObjectAddress {
  resource: ResourceType;
  namespace?: string;
}

const SERVER_FIELDS = [
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'managedFields',
];

/** The request body as JSON, or YAML for apply; undecodable bodies are a 400. */
export function parseBody(text: string, yaml = false): unknown {
  try {
    return yaml ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    throw badRequest(
      `the request body could not be decoded: ${error instanceof Error ? error.message : error}`,
    );
  }
}

/** The object without the metadata only the server sets; clients may not write it. */
export function withoutServerFields(object: JsonObject): JsonObject {
  const meta = { ...metaOf(object) } as unknown as JsonObject;
  for (const field of SERVER_FIELDS) delete meta[field];
  return { ...object, metadata: meta };
}

/** The object as served at the version the client asked for. */
export function served(resource: ResourceType, object: JsonObject): JsonObject {
  return { ...object, apiVersion: groupVersionOf(resource), kind: resource.kind };
}

/** Checks the body names the resource, name and namespace of the URL; fills what it omits. */
export function identify(req: ObjectAddress, body: unknown, name?: string): JsonObject {
  if (!isObject(body)) throw badRequest('the request body must be a Kubernetes object');
  const { resource } = req;
  const meta = isObject(body.metadata) ? { ...body.metadata } : {};
  if (body.apiVersion !== undefined && body.apiVersion !== groupVersionOf(resource)) {
    throw badRequest(
      `the API version in the data (${body.apiVersion}) does not match the expected API version (${groupVersionOf(resource)})`,
    );
  }
  if (body.kind !== undefined && body.kind !== resource.kind) {
    throw invalid(resource.group, resource.kind, String(meta.name ?? ''), [
      {
        field: 'kind',
        reason: 'FieldValueInvalid',
        message: `Invalid value: "${body.kind}": must be ${resource.kind}`,
      },
    ]);
  }
  if (meta.name === undefined && typeof meta.generateName === 'string' && name === undefined) {
    meta.name = `${meta.generateName}${randomBytes(3).toString('hex').slice(0, 5)}`;
  }
  if (typeof meta.name !== 'string' || meta.name === '') {
    throw invalid(resource.group, resource.kind, '', [
      {
        field: 'metadata.name',
        reason: 'FieldValueRequired',
        message: 'Required value: name or generateName is required',
      },
    ]);
  }
  if (name !== undefined && meta.name !== name) {
    throw badRequest(`the name of the object (${meta.name}) does not match the name on the URL (${name})`);
  }
  if (resource.namespaced) {
    if (meta.namespace !== undefined && req.namespace !== undefined && meta.namespace !== req.namespace) {
      throw badRequest(
        'the namespace of the provided object does not match the namespace sent on the request',
      );
    }
    meta.namespace = req.namespace ?? meta.namespace ?? 'default';
  } else {
    delete meta.namespace;
  }
  return { ...body, apiVersion: groupVersionOf(resource), kind: resource.kind, metadata: meta };
}

/** One type per stored resource: the versions of a resource share their objects. */
export function storedTypes(registry: ResourceRegistry): ResourceType[] {
  const seen = new Set<string>();
  return registry.all().filter((t) => {
    const key = `${t.group}/${t.resource}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** A `<Kind>List` with the store's resourceVersion, as a LIST answers. */
export function listOf(resource: ResourceType, items: JsonObject[], resourceVersion: string): JsonObject {
  return {
    kind: `${resource.kind}List`,
    apiVersion: groupVersionOf(resource),
    metadata: { resourceVersion },
    items,
  };
}

/** The fields the server owns, copied from the live object onto a client's version of it. */
export function pickServer(meta: ObjectMeta): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of SERVER_FIELDS)
    if ((meta as unknown as Record<string, unknown>)[field] !== undefined)
      out[field] = (meta as unknown as Record<string, unknown>)[field];
  return out;
}

/**
 * What the real API does to some kinds on every write: a Secret's write-only `stringData` is
 * folded into `data` as base64, and its `type` defaults to Opaque.
 */
export function normalized(resource: ResourceType, object: JsonObject): JsonObject {
  if (resource.group !== '' || resource.resource !== 'secrets') return object;
  const { stringData, ...rest } = object;
  const data: JsonObject = { ...(isObject(rest.data) ? rest.data : {}) };
  if (isObject(stringData)) {
    for (const [key, value] of Object.entries(stringData))
      data[key] = Buffer.from(String(value)).toString('base64');
  }
  return { ...rest, type: rest.type ?? 'Opaque', ...(Object.keys(data).length > 0 ? { data } : {}) };
}
