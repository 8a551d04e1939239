import { createHash } from 'node:crypto';
import { BuildError } from './build-error.ts';
import type { FileTree } from './file-tree.ts';
import { joinPath } from './file-tree.ts';
import type { KObject } from './manifest.ts';
import { isMap, kindOf, metadataOf, nameOf, namespaceOf } from './manifest.ts';
import type { Resource } from './resource.ts';

export interface GeneratorOptions {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  disableNameSuffixHash?: boolean;
  immutable?: boolean;
}

export interface GeneratorEntry {
  name?: string;
  namespace?: string;
  behavior?: 'create' | 'merge' | 'replace';
  literals?: string[];
  files?: string[];
  envs?: string[];
  env?: string;
  type?: string;
  options?: GeneratorOptions;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function unquote(value: string): string {
  const q = value[0];
  return value.length >= 2 && (q === '"' || q === "'") && value.endsWith(q) ? value.slice(1, -1) : value;
}

function readSource(tree: FileTree, dir: string, path: string, file: string): Uint8Array {
  const bytes = tree.read(joinPath(dir, path));
  if (!bytes) throw new BuildError(`${file}: generator file "${path}" not found`, { data: { file, path } });
  return bytes;
}

/** The key/value pairs of one generator entry, text and binary apart. */
function collect(tree: FileTree, dir: string, entry: GeneratorEntry, file: string) {
  const text: Record<string, string> = {};
  const binary: Record<string, string> = {};
  for (const literal of entry.literals ?? []) {
    const eq = literal.indexOf('=');
    if (eq <= 0) throw new BuildError(`${file}: literal "${literal}" is not key=value`, { data: { file } });
    text[literal.slice(0, eq)] = unquote(literal.slice(eq + 1));
  }
  for (const env of [...(entry.envs ?? []), ...(entry.env ? [entry.env] : [])]) {
    const content = new TextDecoder().decode(readSource(tree, dir, env, file));
    for (const raw of content.split(/\r?\n/)) {
      const line = raw.trimStart();
      if (line === '' || line.startsWith('#')) continue;
      const eq = line.indexOf('=');
      if (eq <= 0) continue;
      text[line.slice(0, eq)] = line.slice(eq + 1);
    }
  }
  for (const source of entry.files ?? []) {
    const eq = source.indexOf('=');
    const key = eq > 0 ? source.slice(0, eq) : (source.split('/').pop() as string);
    const bytes = readSource(tree, dir, eq > 0 ? source.slice(eq + 1) : source, file);
    try {
      text[key] = utf8.decode(bytes);
    } catch {
      binary[key] = Buffer.from(bytes).toString('base64');
    }
  }
  return { text, binary };
}

/** A ConfigMap or Secret from a generator entry, with the global options under the entry's own. */
export function generate(
  tree: FileTree,
  dir: string,
  file: string,
  kind: 'ConfigMap' | 'Secret',
  entry: GeneratorEntry,
  global: GeneratorOptions,
): Resource {
  if (!entry.name) throw new BuildError(`${file}: a ${kind} generator has no name`, { data: { file } });
  const { text, binary } = collect(tree, dir, entry, file);
  const labels = { ...global.labels, ...entry.options?.labels };
  const annotations = { ...global.annotations, ...entry.options?.annotations };
  const metadata: Record<string, unknown> = { name: entry.name };
  if (entry.namespace) metadata.namespace = entry.namespace;
  if (Object.keys(labels).length > 0) metadata.labels = labels;
  if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
  const obj: KObject = { apiVersion: 'v1', kind, metadata };
  if (kind === 'ConfigMap') {
    if (Object.keys(text).length > 0) obj.data = text;
    if (Object.keys(binary).length > 0) obj.binaryData = binary;
  } else {
    const data: Record<string, string> = {};
    for (const [k, v] of Object.entries(binary)) data[k] = wrapBase64(v);
    for (const [k, v] of Object.entries(text)) data[k] = wrapBase64(Buffer.from(v).toString('base64'));
    if (Object.keys(data).length > 0) obj.data = data;
    obj.type = entry.type ?? 'Opaque';
  }
  if (entry.options?.immutable ?? global.immutable) obj.immutable = true;
  const disable = (entry.options?.disableNameSuffixHash ?? false) || (global.disableNameSuffixHash ?? false);
  return { obj, history: [], hashSuffix: !disable, behavior: entry.behavior ?? 'create' };
}

/** kustomize breaks a Secret value's base64 into lines of 70 once it is that long, each line ending in a newline. */
function wrapBase64(encoded: string): string {
  if (encoded.length < 70) return encoded;
  let out = '';
  for (let i = 0; i < encoded.length; i += 70) out += `${encoded.slice(i, i + 70)}\n`;
  return out;
}

/** Adds a generated object, merging into or replacing an existing one when its behavior says so. */
export function addGenerated(resources: Resource[], res: Resource, file: string): void {
  const existing = resources.find(
    (r) =>
      kindOf(r.obj) === kindOf(res.obj) &&
      nameOf(r.obj) === nameOf(res.obj) &&
      namespaceOf(r.obj) === namespaceOf(res.obj),
  );
  if (res.behavior === 'create' || res.behavior === undefined) {
    if (existing) {
      throw new BuildError(
        `${file}: ${kindOf(res.obj)} ${nameOf(res.obj)} already exists; use behavior merge or replace`,
        {
          data: { file, name: nameOf(res.obj) },
        },
      );
    }
    resources.push(res);
    return;
  }
  if (!existing) {
    throw new BuildError(`${file}: no ${kindOf(res.obj)} ${nameOf(res.obj)} to ${res.behavior}`, {
      data: { file, name: nameOf(res.obj) },
    });
  }
  if (res.behavior === 'replace') {
    existing.obj = res.obj;
  } else {
    for (const field of ['data', 'binaryData']) {
      if (isMap(res.obj[field]))
        existing.obj[field] = { ...(existing.obj[field] as object), ...res.obj[field] };
    }
    const meta = metadataOf(existing.obj);
    const add = metadataOf(res.obj);
    for (const field of ['labels', 'annotations']) {
      if (isMap(add[field])) meta[field] = { ...(meta[field] as object), ...add[field] };
    }
  }
  existing.hashSuffix = existing.hashSuffix || res.hashSuffix;
}

/** Kustomize's content hash: sha256 over kind, data and type in Go's JSON, ten characters, no vowels. */
export function contentHash(obj: KObject): string {
  const body: Record<string, unknown> = {};
  const add = (key: string, value: unknown) => {
    if (value !== undefined) body[key] = value;
  };
  if (kindOf(obj) === 'ConfigMap') {
    add(
      'binaryData',
      isMap(obj.binaryData) && Object.keys(obj.binaryData).length > 0 ? obj.binaryData : undefined,
    );
    add('data', obj.data ?? {});
    add('immutable', obj.immutable);
    add('kind', 'ConfigMap');
    add('name', '');
  } else {
    add('data', obj.data ?? {});
    add('immutable', obj.immutable);
    add('kind', kindOf(obj));
    add('name', '');
    add('type', obj.type ?? '');
  }
  const hex = createHash('sha256').update(goJson(body)).digest('hex').slice(0, 10);
  return hex.replace(/[013ae]/g, (c) => ({ '0': 'g', '1': 'h', '3': 'k', a: 'm', e: 't' })[c] as string);
}

/** JSON as Go's encoder writes a map: keys sorted, `<`, `>` and `&` escaped. */
function goJson(value: unknown): string {
  if (isMap(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${goJson(k)}:${goJson(value[k])}`).join(',')}}`;
  }
  if (Array.isArray(value)) return `[${value.map(goJson).join(',')}]`;
  return JSON.stringify(value)
    .replaceAll('<', '\\u003c')
    .replaceAll('>', '\\u003e')
    .replaceAll('&', '\\u0026')
    .replaceAll('\u2028', '\\u2028')
    .replaceAll('\u2029', '\\u2029');
}
