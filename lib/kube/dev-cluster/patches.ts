import type { Json, JsonObject } from './field-paths.ts';
import { isObject } from './field-paths.ts';
import { badRequest, KubeStatusError } from './status-errors.ts';

/** RFC 7386 JSON merge patch: maps merge, `null` deletes, everything else replaces. */
export function mergePatch(target: Json | undefined, patch: Json): Json {
  if (!isObject(patch)) return patch;
  const out: JsonObject = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key], value);
  }
  return out;
}

interface Operation {
  op: string;
  path: string;
  value?: Json;
  from?: string;
}

function pointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw badRequest(`invalid JSON pointer "${path}"`);
  return path
    .slice(1)
    .split('/')
    .map((t) => t.replaceAll('~1', '/').replaceAll('~0', '~'));
}

function parentOf(doc: Json, tokens: string[], path: string): { parent: Json; last: string } {
  let node: Json | undefined = doc;
  for (const token of tokens.slice(0, -1)) {
    node = Array.isArray(node) ? node[Number(token)] : isObject(node) ? node[token] : undefined;
    if (node === undefined)
      throw new KubeStatusError(
        422,
        'Invalid',
        `the server rejected our request due to an error in our request: path "${path}" does not exist`,
      );
  }
  return { parent: node as Json, last: tokens.at(-1) ?? '' };
}

function read(doc: Json, path: string): Json | undefined {
  let node: Json | undefined = doc;
  for (const token of pointer(path))
    node = Array.isArray(node) ? node[Number(token)] : isObject(node) ? node[token] : undefined;
  return node;
}

function write(doc: Json, path: string, value: Json | undefined, insert: boolean): void {
  const { parent, last } = parentOf(doc, pointer(path), path);
  if (Array.isArray(parent)) {
    const index = last === '-' ? parent.length : Number(last);
    if (value === undefined) parent.splice(index, 1);
    else parent.splice(index, insert ? 0 : 1, value);
  } else if (isObject(parent)) {
    if (value === undefined) delete parent[last];
    else parent[last] = value;
  }
}

/** RFC 6902 JSON patch: add, remove, replace, move, copy and test. */
export function jsonPatch(target: JsonObject, operations: unknown): JsonObject {
  if (!Array.isArray(operations)) throw badRequest('a JSON patch must be an array of operations');
  const doc = structuredClone(target);
  for (const op of operations as Operation[]) {
    switch (op.op) {
      case 'add':
        write(doc, op.path, op.value ?? null, true);
        break;
      case 'remove':
        write(doc, op.path, undefined, false);
        break;
      case 'replace':
        write(doc, op.path, op.value ?? null, false);
        break;
      case 'move':
      case 'copy': {
        const value = structuredClone(read(doc, op.from ?? ''));
        if (op.op === 'move') write(doc, op.from ?? '', undefined, false);
        write(doc, op.path, value ?? null, true);
        break;
      }
      case 'test':
        if (JSON.stringify(read(doc, op.path)) !== JSON.stringify(op.value)) {
          throw new KubeStatusError(
            422,
            'Invalid',
            `the server rejected our request due to an error in our request: testing value ${op.path} failed`,
          );
        }
        break;
      default:
        throw badRequest(`unknown JSON patch operation "${op.op}"`);
    }
  }
  return doc;
}
