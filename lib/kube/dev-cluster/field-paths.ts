/**
 * Field sets in the `FieldsV1` shape the real API records in `metadata.managedFields`:
 * `f:<field>` for map keys and `k:{"name":…}` for list items keyed by name. Lists without a
 * unique `name` on every item are owned whole, which is coarser than the real API but enough to
 * tell which manager set which field.
 */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** A leaf path, encoded as the JSON of its tokens so it can live in a `Set` or `Map` key. */
export type FieldKey = string;

/** A JSON object, not an array or null. */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const OWNED_METADATA = ['labels', 'annotations', 'ownerReferences', 'finalizers'];

function keyedByName(list: Json[]): boolean {
  const names = list.map((item) => (isObject(item) && typeof item.name === 'string' ? item.name : undefined));
  return list.length > 0 && names.every((n) => n !== undefined) && new Set(names).size === names.length;
}

function collect(value: Json, path: string[], out: Map<FieldKey, string>): void {
  if (isObject(value) && Object.keys(value).length > 0) {
    for (const [k, v] of Object.entries(value)) collect(v, [...path, `f:${k}`], out);
  } else if (Array.isArray(value) && keyedByName(value)) {
    for (const item of value as JsonObject[])
      collect(item, [...path, `k:${JSON.stringify({ name: item.name })}`], out);
  } else {
    out.set(JSON.stringify(path), JSON.stringify(value));
  }
}

/**
 * The leaves an object sets, each with its value's JSON. `part` picks the main resource (no
 * status when a status subresource exists) or the `/status` subresource.
 */
export function fieldLeaves(object: JsonObject, part: 'all' | 'main' | 'status'): Map<FieldKey, string> {
  const out = new Map<FieldKey, string>();
  for (const [k, v] of Object.entries(object)) {
    if (k === 'apiVersion' || k === 'kind') continue;
    if (part === 'status' ? k !== 'status' : part === 'main' && k === 'status') continue;
    if (k === 'metadata' && isObject(v)) {
      for (const m of OWNED_METADATA) {
        const field = v[m];
        if (field !== undefined) collect(field, ['f:metadata', `f:${m}`], out);
      }
      continue;
    }
    collect(v, [`f:${k}`], out);
  }
  return out;
}

/** The `fieldsV1` tree of a set of leaves, with `.` marking each keyed list item. */
export function toFieldsV1(keys: Iterable<FieldKey>): JsonObject {
  const root: JsonObject = {};
  for (const key of keys) {
    let node = root;
    for (const token of JSON.parse(key) as string[]) {
      const next = isObject(node[token]) ? (node[token] as JsonObject) : {};
      if (token.startsWith('k:')) next['.'] = {};
      node[token] = next;
      node = next;
    }
  }
  return root;
}

/** The leaves a `fieldsV1` tree owns: its nodes without children. */
export function fromFieldsV1(fields: unknown): Set<FieldKey> {
  const out = new Set<FieldKey>();
  const walk = (node: unknown, path: string[]) => {
    const children = isObject(node) ? Object.keys(node).filter((k) => k !== '.') : [];
    if (children.length === 0 && path.length > 0) out.add(JSON.stringify(path));
    for (const child of children) walk((node as JsonObject)[child], [...path, child]);
  };
  walk(fields, []);
  return out;
}

/** `.spec.template.spec.containers[name="app"].image`, as the real API prints a field path. */
export function printField(key: FieldKey): string {
  return (JSON.parse(key) as string[])
    .map((token) => {
      if (token.startsWith('f:')) return `.${token.slice(2)}`;
      const keyed = JSON.parse(token.slice(2)) as Record<string, unknown>;
      return `[${Object.entries(keyed)
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join(',')}]`;
    })
    .join('');
}

function itemIndex(list: Json[], token: string): number {
  const wanted = (JSON.parse(token.slice(2)) as { name?: string }).name;
  return list.findIndex((item) => isObject(item) && item.name === wanted);
}

/** Removes one leaf from an object in place; a path that is not there is ignored. */
export function removeField(object: JsonObject, key: FieldKey): void {
  const tokens = JSON.parse(key) as string[];
  let node: Json | undefined = object;
  for (const [i, token] of tokens.entries()) {
    const last = i === tokens.length - 1;
    if (token.startsWith('f:') && isObject(node)) {
      if (last) delete node[token.slice(2)];
      node = node[token.slice(2)];
    } else if (token.startsWith('k:') && Array.isArray(node)) {
      const index = itemIndex(node, token);
      if (index < 0) return;
      if (last) node.splice(index, 1);
      node = node[index];
    } else {
      return;
    }
  }
}

/** Merges an applied configuration into the live object: maps key by key, named lists item by item. */
export function mergeApplied(live: Json | undefined, applied: Json): Json {
  if (isObject(live) && isObject(applied)) {
    const out: JsonObject = { ...live };
    for (const [k, v] of Object.entries(applied)) out[k] = mergeApplied(live[k], v);
    return out;
  }
  if (Array.isArray(live) && Array.isArray(applied) && keyedByName(applied) && keyedByName(live)) {
    const merged = live.map((item) => {
      const match = applied.find((a) => isObject(a) && isObject(item) && a.name === item.name);
      return match === undefined ? item : mergeApplied(item, match);
    });
    const added = applied.filter((a) => !live.some((l) => isObject(l) && isObject(a) && l.name === a.name));
    return [...merged, ...added];
  }
  return applied;
}
