import type { JsonObject } from './field-paths.ts';
import { isObject } from './field-paths.ts';
import type { Writer } from './managed-fields.ts';
import { recordUpdate, serverSideApply } from './managed-fields.ts';
import { isNamespaces, isTerminating } from './namespaces.ts';
import {
  identify,
  listOf,
  normalized,
  parseBody,
  pickServer,
  served,
  storedTypes,
  withoutServerFields,
} from './object-shape.ts';
import type { ObjectStore } from './object-store.ts';
import { metaOf, timestamp } from './object-store.ts';
import { jsonPatch, mergePatch } from './patches.ts';
import type { ResourceRegistry, ResourceType } from './resource-types.ts';
import { groupVersionOf } from './resource-types.ts';
import { scaleOf, withScale } from './scale.ts';
import { matchesLabels, parseFieldSelector, parseLabelSelector } from './selectors.ts';
import {
  alreadyExists,
  fieldManagerRequired,
  methodNotAllowed,
  namespaceTerminating,
  notFound,
  pathNotFound,
  staleResourceVersion,
  unsupportedMediaType,
} from './status-errors.ts';
import { strategicMergePatch } from './strategic-merge.ts';

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
/** The patch type a PATCH request sends, refused with 415 unless the resource takes it. */
function patchType(req: ObjectRequest): string {
  const type = req.contentType.split(';')[0]?.trim() ?? '';
  const accepted =
    req.resource.crd !== undefined ? PATCH_TYPES.filter((t) => !t.includes('strategic')) : PATCH_TYPES;
  if (!accepted.includes(type)) throw unsupportedMediaType(accepted);
  return type;
}

/** Applies a JSON, merge or strategic merge patch. */
function applyPatch(type: string, live: JsonObject, body: string): JsonObject {
  const patch = parseBody(body);
  if (type === 'application/json-patch+json') return jsonPatch(live, patch);
  if (type === 'application/merge-patch+json') return mergePatch(live, patch as JsonObject) as JsonObject;
  return (strategicMergePatch(live, patch as JsonObject) ?? {}) as JsonObject;
}

/** `?dryRun=All`: the request is checked and answered in full, and nothing is stored. */
function isDryRun(req: ObjectRequest): boolean {
  return req.query.getAll('dryRun').includes('All');
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
    const offered = subresource === 'status' ? req.resource.statusSubresource : req.resource.scaleSubresource;
    if (subresource !== undefined && !(offered && name !== undefined)) throw pathNotFound();
    const addressesOne = name !== undefined || method === 'POST';
    if (req.resource.namespaced && req.namespace === undefined && addressesOne) throw pathNotFound();
    if (name === undefined) {
      if (method === 'GET') return this.#list(req);
      if (method === 'POST') return this.#create(req);
      if (method === 'DELETE') return this.#deleteCollection(req);
      throw methodNotAllowed();
    }
    if (subresource === 'scale') return this.#scale(req, name);
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
    const stored = this.#store.put(req.resource, normalized(req.resource, next), live, isDryRun(req));
    return { code: live ? 200 : 201, body: served(req.resource, stored) };
  }

  #create(req: ObjectRequest): ApiResponse {
    const object = withoutServerFields(identify(req, parseBody(req.body)));
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
    const body = identify(req, parseBody(req.body), name);
    const live = this.#live(req, name);
    const wanted = metaOf(body).resourceVersion;
    if (wanted && wanted !== metaOf(live).resourceVersion)
      throw staleResourceVersion(req.resource.group, req.resource.resource, name);
    const next = recordUpdate(live, this.#scoped(req, live, body), this.#writer(req));
    return this.#save(req, next, live);
  }

  #patch(req: ObjectRequest, name: string): ApiResponse {
    const type = patchType(req);
    if (type === 'application/apply-patch+yaml') return this.#apply(req, name);
    const live = this.#live(req, name);
    const patched = applyPatch(type, live, req.body);
    const body = identify(req, patched, name);
    const next = recordUpdate(live, this.#scoped(req, live, body), this.#writer(req));
    return this.#save(req, next, live);
  }

  /** `/scale`: reads and writes `.spec.replicas` through an `autoscaling/v1` Scale. */
  #scale(req: ObjectRequest, name: string): ApiResponse {
    const type = req.method === 'PATCH' ? patchType(req) : undefined;
    if (type === 'application/apply-patch+yaml') throw unsupportedMediaType(PATCH_TYPES.slice(0, 3));
    const live = this.#live(req, name);
    if (req.method === 'GET') return { code: 200, body: scaleOf(live) };
    let wanted: unknown;
    if (req.method === 'PUT') wanted = parseBody(req.body);
    else if (type !== undefined) wanted = applyPatch(type, scaleOf(live), req.body);
    else throw methodNotAllowed();
    const next = recordUpdate(live, withScale(live, wanted), { ...this.#writer(req), subresource: 'scale' });
    const stored = this.#store.put(req.resource, next, live, isDryRun(req));
    return { code: 200, body: scaleOf(stored) };
  }

  #apply(req: ObjectRequest, name: string): ApiResponse {
    const manager = req.query.get('fieldManager');
    if (!manager) throw fieldManagerRequired();
    const config = withoutServerFields(identify(req, parseBody(req.body, true), name));
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
    const options = req.body.trim() === '' ? {} : parseBody(req.body);
    const policy =
      req.query.get('propagationPolicy') ?? (isObject(options) ? options.propagationPolicy : undefined);
    const meta = metaOf(live);
    if (isNamespaces(req.resource)) {
      if (isTerminating(live) || isDryRun(req)) return { code: 200, body: served(req.resource, live) };
      const terminating = {
        ...live,
        metadata: { ...(live.metadata as JsonObject), deletionTimestamp: timestamp() },
        status: { phase: 'Terminating' },
      };
      return { code: 200, body: served(req.resource, this.#store.put(req.resource, terminating, live)) };
    }
    if (!isDryRun(req)) this.#remove(req.resource, live, policy !== 'Orphan');
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
    if (!isDryRun(req)) for (const object of items) this.#remove(req.resource, object, true);
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
