import { createHash } from 'node:crypto';
import type { ResourceRegistry, ResourceType } from './resource-types.ts';
import { groupVersionOf } from './resource-types.ts';

/**
 * A minimal OpenAPI v3 surface: one document per group version listing each resource's PATCH
 * with its kind and the `fieldValidation` parameter. That is what `kubectl apply` reads to learn
 * the server validates fields itself; schemas are left out, so clients validate nothing locally.
 */
function prefix(groupVersion: string): string {
  return groupVersion.includes('/') ? `apis/${groupVersion}` : `api/${groupVersion}`;
}

function groupVersions(registry: ResourceRegistry): Map<string, ResourceType[]> {
  const byGv = new Map<string, ResourceType[]>();
  for (const t of registry.all()) byGv.set(groupVersionOf(t), [...(byGv.get(groupVersionOf(t)) ?? []), t]);
  return byGv;
}

function document(types: ResourceType[]): Record<string, unknown> {
  const params = ['fieldValidation', 'fieldManager', 'force', 'dryRun'].map((name) => ({
    name,
    in: 'query',
    schema: { type: 'string' },
  }));
  const paths: Record<string, unknown> = {};
  for (const t of types) {
    const scope = t.namespaced ? 'namespaces/{namespace}/' : '';
    paths[`/${prefix(groupVersionOf(t))}/${scope}${t.resource}/{name}`] = {
      patch: {
        operationId: `patch${t.kind}`,
        'x-kubernetes-group-version-kind': { group: t.group, version: t.version, kind: t.kind },
        'x-kubernetes-action': 'patch',
        parameters: params,
        responses: { '200': { description: 'OK' } },
      },
    };
  }
  return {
    openapi: '3.0.0',
    info: { title: 'ferry dev-cluster (simulator)', version: 'v1.32.0' },
    paths,
    components: { schemas: {} },
  };
}

/** Answers `/openapi/v3` and `/openapi/v3/<api|apis/group>/<version>`, or `undefined`. */
export function openApiV3(registry: ResourceRegistry, path: string): Record<string, unknown> | undefined {
  const byGv = groupVersions(registry);
  if (path === '/openapi/v3' || path === '/openapi/v3/') {
    const paths: Record<string, unknown> = {};
    for (const [gv, types] of byGv) {
      const hash = createHash('sha256')
        .update(JSON.stringify(types))
        .digest('hex')
        .slice(0, 32)
        .toUpperCase();
      paths[prefix(gv)] = { serverRelativeURL: `/openapi/v3/${prefix(gv)}?hash=${hash}` };
    }
    return { paths };
  }
  const match = /^\/openapi\/v3\/(?:api\/(v1)|apis\/([^/]+\/[^/]+))$/.exec(path);
  const types = byGv.get(match?.[1] ?? match?.[2] ?? '');
  return types ? document(types) : undefined;
}
