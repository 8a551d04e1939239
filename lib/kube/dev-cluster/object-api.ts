import { randomBytes } from 'node:crypto';
import { parse as parseYaml } from 'yaml';
import type { JsonObject } from './field-paths.ts';
import { isObject } from './field-paths.ts';
import type { Writer } from './managed-fields.ts';
import { recordUpdate, serverSideApply } from './managed-fields.ts';
import { isNamespaces, isTerminating } from './namespaces.ts';
import type { ObjectStore } from './object-store.ts';
import { metaOf, timestamp } from './object-store.ts';
import { jsonPatch, mergePatch } from './patches.ts';
import type { ResourceRegistry, ResourceType } from './resource-types.ts';
import { groupVersionOf } from './resource-types.ts';
import { matchesLabels, parseFieldSelector, parseLabelSelector } from './selectors.ts';
import {
  alreadyExists,
  badRequest,
  invalid,
  KubeStatusError,
  methodNotAllowed,
  namespaceTerminating,
  notFound,
  pathNotFound,
  staleResourceVersion,
  unsupportedMediaType,
} from './status-errors.ts';

/** One request addressed to a resource, a collection or a subresource. */
export interface ObjectRequest {
  method: string;
  resource: ResourceType;
  namespace?: string;
  name?: string;
  subresource?: string;
  query: URLSearchParams;
  contentType: string;
  body: string;
  userAgent: string;
}

export interface ApiResponse {
  code: number;
  body: JsonObject;
}

const PATCH_TYPES = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/apply-patch+yaml',
];
const SERVER_FIELDS = ['uid', 'resourceVersion', 'generation', 'creationTimestamp', 'managedFields'];

function parseJson(text: string, yaml = false): unknown {
  try {
    return yaml ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    throw badRequest(
      `the request body could not be decoded: ${error instanceof Error ? error.message : error}`,
    );
  }
}

function withoutServerFields(object: JsonObject): JsonObject {
  const meta = { ...metaOf(object) } as unknown as JsonObject;
  for (const field of SERVER_FIELDS) delete meta[field];
  return { ...object, metadata: meta };
}

/** The object as served at the version the client asked for. */
function served(resource: ResourceType, object: JsonObject): JsonObject {
  return { ...object, apiVersion: groupVersionOf(resource), kind: resource.kind };
}

/** Creates, reads, lists, updates, patches, applies and deletes objects, as the real API does. */
export class ObjectApi {
  readonly #store: ObjectStore;
  readonly #registry: ResourceRegistry;

  constructor(store: ObjectStore, registry: ResourceRegistry) {
    this.#store = store;
    this.#registry = registry;
  }

  handle(req: ObjectRequest): ApiResponse {
    const { method, name, subresource } = req;
    if (subresource !== undefined && subresource !== 'status') throw pathNotFound();
    if (subresource === 'status' && !req.resource.statusSubresource) throw pathNotFound();
    if (name === undefined) {
      if (method === 'GET') return this.#list(req);
      if (method === 'POST') return this.#create(req);
      if (method === 'DELETE') return this.#deleteCollection(req);
      throw methodNotAllowed();
    }
    if (method === 'GET') return { code: 200, body: served(req.resource, this.#live(req, name)) };
    if (method === 'PUT') return this.#update(req, name);
    if (method === 'PATCH') return this.#patch(req, name);
    if (method === 'DELETE') return this.#delete(req, name);
    throw methodNotAllowed();
  }

  #live(req: ObjectRequest, name: string): JsonObject {
    const live = this.#store.get(req.resource, req.namespace, name);
    if (!live) throw notFound(req.resource.group, req.resource.resource, name);
    return live;
  }

  #requireNamespace(req: ObjectRequest, name: string): void {
    if (!req.resource.namespaced || req.namespace === undefined) return;
    const namespaces = this.#registry.find('', 'v1', 'namespaces');
    const namespace = namespaces ? this.#store.get(namespaces, undefined, req.namespace) : undefined;
    if (!namespace) throw notFound('', 'namespaces', req.namespace);
    if (isTerminating(namespace)) throw namespaceTerminating(req.resource, name, req.namespace);
  }

  /** Checks the body names the resource, name and namespace of the URL; fills what it omits. */
  #identify(req: ObjectRequest, body: unknown, name?: string): JsonObject {
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

  #writer(req: ObjectRequest, manager?: string): Writer {
    return {
      manager: manager ?? (req.query.get('fieldManager') || req.userAgent.split('/')[0] || 'unknown'),
      apiVersion: groupVersionOf(req.resource),
      now: timestamp(),
      statusSubresource: req.resource.statusSubresource,
      ...(req.subresource === 'status' ? { subresource: 'status' as const } : {}),
    };
  }

  /** Status set by the server on creation; clients cannot set it through the main resource. */
  #initialStatus(resource: ResourceType, object: JsonObject): JsonObject {
    const { status: _ignored, ...rest } = object;
    if (resource.group === '' && resource.resource === 'namespaces') {
      const meta = metaOf(object);
      const labels = { ...meta.labels, 'kubernetes.io/metadata.name': meta.name };
      return {
        ...rest,
        metadata: { ...(rest.metadata as JsonObject), labels },
        spec: { finalizers: ['kubernetes'] },
        status: { phase: 'Active' },
      };
    }
    return resource.statusSubresource ? rest : object;
  }

  #save(req: ObjectRequest, next: JsonObject, live: JsonObject | undefined): ApiResponse {
    const stored = this.#store.put(req.resource, next, live);
    return { code: live ? 200 : 201, body: served(req.resource, stored) };
  }

  #create(req: ObjectRequest): ApiResponse {
    const object = withoutServerFields(this.#identify(req, parseJson(req.body)));
    const name = metaOf(object).name;
    this.#requireNamespace(req, name);
    if (this.#store.get(req.resource, req.namespace, name))
      throw alreadyExists(req.resource.group, req.resource.resource, name);
    const next = recordUpdate(undefined, this.#initialStatus(req.resource, object), this.#writer(req));
    return this.#save(req, next, undefined);
  }

  /** The live object with the parts the endpoint may change taken from `candidate`. */
  #scoped(req: ObjectRequest, live: JsonObject, candidate: JsonObject): JsonObject {
    const meta = { ...metaOf(candidate), ...pickServer(metaOf(live)) } as unknown as JsonObject;
    if (req.subresource === 'status') return { ...live, status: candidate.status ?? {} };
    if (!req.resource.statusSubresource) return { ...candidate, metadata: meta };
    const { status: _ignored, ...rest } = candidate;
    return { ...rest, metadata: meta, ...(live.status === undefined ? {} : { status: live.status }) };
  }

  #update(req: ObjectRequest, name: string): ApiResponse {
    const body = this.#identify(req, parseJson(req.body), name);
    const live = this.#live(req, name);
    const wanted = metaOf(body).resourceVersion;
    if (wanted && wanted !== metaOf(live).resourceVersion)
      throw staleResourceVersion(req.resource.group, req.resource.resource, name);
    const next = recordUpdate(live, this.#scoped(req, live, body), this.#writer(req));
    return this.#save(req, next, live);
  }

  #patch(req: ObjectRequest, name: string): ApiResponse {
    const type = req.contentType.split(';')[0]?.trim() ?? '';
    if (!PATCH_TYPES.includes(type)) throw unsupportedMediaType(PATCH_TYPES);
    if (type === 'application/apply-patch+yaml') return this.#apply(req, name);
    const live = this.#live(req, name);
    const patch = parseJson(req.body);
    const patched =
      type === 'application/json-patch+json' ? jsonPatch(live, patch) : mergePatch(live, patch as JsonObject);
    const body = this.#identify(req, patched, name);
    const next = recordUpdate(live, this.#scoped(req, live, body), this.#writer(req));
    return this.#save(req, next, live);
  }

  #apply(req: ObjectRequest, name: string): ApiResponse {
    const manager = req.query.get('fieldManager');
    if (!manager) {
      throw new KubeStatusError(
        422,
        'Invalid',
        'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
        {
          group: 'meta.k8s.io',
          kind: 'PatchOptions',
          causes: [
            {
              reason: 'FieldValueRequired',
              message: 'Required value: is required for apply patch',
              field: 'fieldManager',
            },
          ],
        },
      );
    }
    const config = withoutServerFields(this.#identify(req, parseJson(req.body, true), name));
    const live = this.#store.get(req.resource, req.namespace, name);
    if (!live) {
      if (req.subresource === 'status') throw notFound(req.resource.group, req.resource.resource, name);
      this.#requireNamespace(req, name);
    }
    const force = req.query.get('force') === 'true';
    const applied = serverSideApply(live, config, this.#writer(req, manager), force);
    return this.#save(req, live ? applied : this.#initialStatus(req.resource, applied), live);
  }

  #matching(req: ObjectRequest): JsonObject[] {
    const labels = parseLabelSelector(req.query.get('labelSelector') ?? '');
    const fields = parseFieldSelector(req.query.get('fieldSelector') ?? '');
    return this.#store
      .list(req.resource, req.resource.namespaced ? req.namespace : undefined)
      .filter((o) => matchesLabels(labels, metaOf(o).labels) && fields(metaOf(o)));
  }

  #list(req: ObjectRequest): ApiResponse {
    const items = this.#matching(req).map((o) => served(req.resource, o));
    return { code: 200, body: listOf(req.resource, items, this.#store.resourceVersion()) };
  }

  #delete(req: ObjectRequest, name: string): ApiResponse {
    const live = this.#live(req, name);
    const options = req.body.trim() === '' ? {} : parseJson(req.body);
    const policy =
      req.query.get('propagationPolicy') ?? (isObject(options) ? options.propagationPolicy : undefined);
    const meta = metaOf(live);
    if (isNamespaces(req.resource)) {
      if (isTerminating(live)) return { code: 200, body: served(req.resource, live) };
      const terminating = {
        ...live,
        metadata: { ...(live.metadata as JsonObject), deletionTimestamp: timestamp() },
        status: { phase: 'Terminating' },
      };
      return { code: 200, body: served(req.resource, this.#store.put(req.resource, terminating, live)) };
    }
    this.#remove(req.resource, live, policy !== 'Orphan');
    const details = {
      name,
      ...(req.resource.group ? { group: req.resource.group } : {}),
      kind: req.resource.resource,
      uid: meta.uid,
    };
    return {
      code: 200,
      body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details },
    };
  }

  #deleteCollection(req: ObjectRequest): ApiResponse {
    if (isNamespaces(req.resource)) throw methodNotAllowed();
    const items = this.#matching(req);
    for (const object of items) this.#remove(req.resource, object, true);
    return {
      code: 200,
      body: listOf(
        req.resource,
        items.map((o) => served(req.resource, o)),
        this.#store.resourceVersion(),
      ),
    };
  }

  /** Deletes an object and, unless orphaning, what it owns. */
  #remove(resource: ResourceType, object: JsonObject, cascade: boolean): void {
    const meta = metaOf(object);
    if (!this.#store.delete(resource, meta.namespace, meta.name) || !cascade) return;
    const dependents = this.#store
      .entries(storedTypes(this.#registry))
      .filter(({ object: o }) => (metaOf(o).ownerReferences ?? []).some((ref) => ref.uid === meta.uid));
    for (const d of dependents) this.#remove(d.resource, d.object, true);
  }
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

export function listOf(resource: ResourceType, items: JsonObject[], resourceVersion: string): JsonObject {
  return {
    kind: `${resource.kind}List`,
    apiVersion: groupVersionOf(resource),
    metadata: { resourceVersion },
    items,
  };
}

function pickServer(meta: ReturnType<typeof metaOf>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of SERVER_FIELDS)
    if ((meta as unknown as Record<string, unknown>)[field] !== undefined)
      out[field] = (meta as unknown as Record<string, unknown>)[field];
  return out;
}
