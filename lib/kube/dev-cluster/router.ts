import { coreVersions, groupInfo, groupList, resourceList, versionInfo } from './discovery.ts';
import type { JsonObject } from './field-paths.ts';
import type { ObjectApi } from './object-api.ts';
import { openApiV3 } from './openapi.ts';
import type { ResourceRegistry, ResourceType } from './resource-types.ts';
import { pathNotFound } from './status-errors.ts';

export interface RawRequest {
  method: string;
  url: URL;
  contentType: string;
  body: string;
  userAgent: string;
}

export interface RoutedResponse {
  code: number;
  body: unknown;
}

/** Where a resource URL points: `/apis/apps/v1/namespaces/ns/deployments/name/status`. */
export interface ResourceAddress {
  resource: ResourceType;
  namespace?: string;
  name?: string;
  subresource?: string;
}

/** Reads a resource URL, or `undefined` when it names no served resource. */
export function resolveAddress(registry: ResourceRegistry, path: string): ResourceAddress | undefined {
  const parts = path
    .split('/')
    .filter((p) => p !== '')
    .map(decodeURIComponent);
  let group = '';
  let rest: string[];
  if (parts[0] === 'api' && parts[1] === 'v1') rest = parts.slice(1);
  else if (parts[0] === 'apis' && parts.length >= 4) {
    group = parts[1] ?? '';
    rest = parts.slice(2);
  } else return undefined;
  const [version = '', ...segments] = rest;
  const namespaced =
    segments[0] === 'namespaces' && segments.length >= 3
      ? registry.find(group, version, segments[2] ?? '')
      : undefined;
  if (namespaced?.namespaced) {
    const [, namespace, , name, subresource, ...extra] = segments;
    if (extra.length > 0) return undefined;
    return {
      resource: namespaced,
      ...(namespace ? { namespace } : {}),
      ...(name ? { name } : {}),
      ...(subresource ? { subresource } : {}),
    };
  }
  const [plural = '', name, subresource, ...extra] = segments;
  const resource = registry.find(group, version, plural);
  if (!resource || extra.length > 0) return undefined;
  return { resource, ...(name ? { name } : {}), ...(subresource ? { subresource } : {}) };
}

function discovery(registry: ResourceRegistry, path: string): unknown {
  if (path === '/version' || path === '/version/') return versionInfo();
  if (path === '/api') return coreVersions();
  if (path === '/api/v1') return resourceList(registry, '', 'v1');
  if (path === '/apis') return groupList(registry);
  if (path.startsWith('/openapi/v3')) return openApiV3(registry, path);
  const match = /^\/apis\/([^/]+)(?:\/([^/]+))?\/?$/.exec(path);
  if (!match?.[1]) return undefined;
  return match[2] ? resourceList(registry, match[1], match[2]) : groupInfo(registry, match[1]);
}

/** Answers discovery and object requests; everything else is the real API's plain 404. */
export function route(registry: ResourceRegistry, api: ObjectApi, req: RawRequest): RoutedResponse {
  const path = req.url.pathname;
  if (['/healthz', '/livez', '/readyz'].includes(path)) return { code: 200, body: 'ok' };
  if (req.method === 'GET') {
    const found = discovery(registry, path);
    if (found !== undefined) return { code: 200, body: found };
  }
  const address = resolveAddress(registry, path);
  if (!address) throw pathNotFound();
  const response = api.handle({
    ...address,
    method: req.method,
    query: req.url.searchParams,
    contentType: req.contentType,
    body: req.body,
    userAgent: req.userAgent,
  });
  return response;
}

/** A `meta.k8s.io/v1` Table of names and ages, for clients that ask for one (`kubectl get`). */
export function asTable(body: JsonObject, now = Date.now()): JsonObject {
  const items = Array.isArray(body.items) ? (body.items as JsonObject[]) : [body];
  const age = (o: JsonObject) => {
    const created = Date.parse(String((o.metadata as JsonObject | undefined)?.creationTimestamp ?? ''));
    const seconds = Math.max(0, Math.round((now - created) / 1000));
    return seconds < 120
      ? `${seconds}s`
      : seconds < 7200
        ? `${Math.floor(seconds / 60)}m`
        : `${Math.floor(seconds / 3600)}h`;
  };
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion: String((body.metadata as JsonObject | undefined)?.resourceVersion ?? '') },
    columnDefinitions: [
      { name: 'Name', type: 'string', format: 'name', description: 'Name of the object', priority: 0 },
      { name: 'Age', type: 'string', format: '', description: 'Time since creation', priority: 0 },
    ],
    rows: items.map((o) => ({
      cells: [String((o.metadata as JsonObject | undefined)?.name ?? ''), age(o)],
      object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata ?? {} },
    })),
  };
}
