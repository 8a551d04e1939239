import type { Json, JsonObject } from './field-paths.ts';
import { isObject } from './field-paths.ts';

/**
 * Strategic merge patch, as `kubectl apply` (client-side), `edit`, `label` and `annotate` send
 * it, without the per-field schema the real API has: a list merges by the key its
 * `$setElementOrder/<list>` directive names, else by `name` when every item has one, and is
 * replaced otherwise. Directives honoured: `$patch: replace|delete`, `$retainKeys`,
 * `$setElementOrder/…` and `$deleteFromPrimitiveList/…`.
 */
export function strategicMergePatch(target: Json | undefined, patch: Json): Json | undefined {
  if (!isObject(patch)) return patch;
  if (patch.$patch === 'delete') return undefined;
  if (patch.$patch === 'replace') return withoutDirectives(patch);
  const out: JsonObject = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith('$deleteFromPrimitiveList/')) {
      const field = key.slice('$deleteFromPrimitiveList/'.length);
      const current = out[field];
      const gone = Array.isArray(value) ? value.map((v) => JSON.stringify(v)) : [];
      if (Array.isArray(current)) out[field] = current.filter((v) => !gone.includes(JSON.stringify(v)));
      continue;
    }
    if (key.startsWith('$')) continue;
    if (value === null) {
      delete out[key];
      continue;
    }
    const mergeKey = mergeKeyOf(patch, key, value);
    const merged =
      Array.isArray(value) && mergeKey !== undefined
        ? mergeList(out[key], value, mergeKey, patch[`$setElementOrder/${key}`])
        : strategicMergePatch(out[key], value);
    if (merged === undefined) delete out[key];
    else out[key] = merged;
  }
  if (Array.isArray(patch.$retainKeys)) {
    for (const key of Object.keys(out)) if (!patch.$retainKeys.includes(key)) delete out[key];
  }
  return out;
}

function withoutDirectives(object: JsonObject): JsonObject {
  return Object.fromEntries(Object.entries(object).filter(([key]) => !key.startsWith('$')));
}

function mergeKeyOf(patch: JsonObject, key: string, value: Json): string | undefined {
  const order = patch[`$setElementOrder/${key}`];
  const first = Array.isArray(order) ? order[0] : undefined;
  if (isObject(first)) return Object.keys(first)[0];
  if (Array.isArray(value) && value.length > 0 && value.every((v) => isObject(v) && v.name !== undefined)) {
    return 'name';
  }
  return undefined;
}

function mergeList(current: Json | undefined, items: Json[], key: string, order: Json | undefined): Json[] {
  const keyOf = (item: Json) => (isObject(item) ? JSON.stringify(item[key]) : undefined);
  let out = Array.isArray(current) ? [...current] : [];
  for (const item of items) {
    const index = out.findIndex((existing) => keyOf(existing) === keyOf(item));
    const merged = strategicMergePatch(index < 0 ? undefined : out[index], item);
    if (merged === undefined) out = out.filter((_, i) => i !== index);
    else if (index < 0) out.push(merged);
    else out[index] = merged;
  }
  if (!Array.isArray(order)) return out;
  const rank = (item: Json) => {
    const at = order.findIndex((o) => keyOf(o) === keyOf(item));
    return at < 0 ? order.length : at;
  };
  return out
    .map((item, i) => ({ item, i }))
    .sort((a, b) => rank(a.item) - rank(b.item) || a.i - b.i)
    .map(({ item }) => item);
}
