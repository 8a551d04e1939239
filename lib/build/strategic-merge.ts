import { clone, isMap } from './manifest.ts';

/**
 * Merge keys of lists in the built-in kinds' schemas: such a list merges item by item, any other
 * list is replaced whole. Custom resources have no schema here, so their lists are replaced, as
 * kustomize does without an OpenAPI document for them.
 */
const mergeKeys: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  env: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  imagePullSecrets: 'name',
  hostAliases: 'ip',
  conditions: 'type',
  topologySpreadConstraints: 'topologyKey',
  resourceClaims: 'name',
};

function mergeKeyOf(field: string, items: unknown[], builtIn: boolean): string | undefined {
  if (!builtIn) return undefined;
  if (field === 'ports') {
    const first = items.find(isMap);
    return first && 'containerPort' in first ? 'containerPort' : 'port';
  }
  return mergeKeys[field];
}

/**
 * A strategic merge patch applied to a copy of `base`; `$patch: delete|replace` directives honoured.
 * A merged list holds the patch's items first, in the patch's order, then the items only the base
 * has, in the base's order: the order kustomize prints.
 */
export function strategicMerge(base: unknown, patch: unknown, builtIn: boolean): unknown {
  return mergeValue(clone(base), patch, '', builtIn);
}

function mergeValue(base: unknown, patch: unknown, field: string, builtIn: boolean): unknown {
  if (isMap(patch)) {
    const directive = patch.$patch;
    const rest = Object.fromEntries(Object.entries(patch).filter(([k]) => k !== '$patch'));
    if (directive === 'replace' || !isMap(base)) return stripDirectives(rest);
    for (const [key, value] of Object.entries(rest)) {
      if (key.startsWith('$setElementOrder/') || key.startsWith('$retainKeys')) continue;
      if (value === null) delete base[key];
      else base[key] = mergeValue(base[key], value, key, builtIn);
    }
    return base;
  }
  if (Array.isArray(patch)) {
    const key = mergeKeyOf(field, [...(Array.isArray(base) ? base : []), ...patch], builtIn);
    if (!Array.isArray(base) || key === undefined)
      return patch.filter((p) => !isDelete(p)).map(stripDirectives);
    const remaining = [...base];
    const patched: unknown[] = [];
    for (const item of patch) {
      if (!isMap(item)) continue;
      const at = remaining.findIndex((b) => isMap(b) && b[key] === item[key]);
      const existing = at >= 0 ? remaining.splice(at, 1)[0] : undefined;
      if (isDelete(item)) continue;
      patched.push(
        existing === undefined ? stripDirectives(item) : mergeValue(existing, item, field, builtIn),
      );
    }
    return [...patched, ...remaining];
  }
  return patch;
}

function isDelete(item: unknown): boolean {
  return isMap(item) && item.$patch === 'delete';
}

function stripDirectives(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripDirectives);
  if (!isMap(value)) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([k, v]) => k !== '$patch' && !k.startsWith('$setElementOrder/') && v !== null)
      .map(([k, v]) => [k, stripDirectives(v)]),
  );
}
