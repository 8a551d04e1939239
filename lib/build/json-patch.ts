import { BuildError } from './build-error.ts';
import { clone, isMap } from './manifest.ts';

export interface JsonPatchOperation {
  op: string;
  path: string;
  from?: string;
  value?: unknown;
}

function tokens(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new BuildError(`JSON patch path "${pointer}" does not start with /`);
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replaceAll('~1', '/').replaceAll('~0', '~'));
}

function parentOf(doc: unknown, pointer: string): { parent: unknown; key: string } {
  const path = tokens(pointer);
  if (path.length === 0) throw new BuildError('JSON patch on the whole document is not supported');
  let node = doc;
  for (const token of path.slice(0, -1)) {
    node = Array.isArray(node) ? node[Number(token)] : isMap(node) ? node[token] : undefined;
    if (node === undefined)
      throw new BuildError(`JSON patch path "${pointer}" does not exist`, { data: { path: pointer } });
  }
  return { parent: node, key: path[path.length - 1] as string };
}

function get(doc: unknown, pointer: string): unknown {
  let node = doc;
  for (const token of tokens(pointer)) {
    node = Array.isArray(node) ? node[Number(token)] : isMap(node) ? node[token] : undefined;
    if (node === undefined)
      throw new BuildError(`JSON patch path "${pointer}" does not exist`, { data: { path: pointer } });
  }
  return node;
}

function add(doc: unknown, pointer: string, value: unknown): void {
  const { parent, key } = parentOf(doc, pointer);
  if (Array.isArray(parent)) {
    const index = key === '-' ? parent.length : Number(key);
    if (!Number.isInteger(index) || index < 0 || index > parent.length) {
      throw new BuildError(`JSON patch index "${pointer}" is out of range`, { data: { path: pointer } });
    }
    parent.splice(index, 0, value);
  } else if (isMap(parent)) parent[key] = value;
  else throw new BuildError(`JSON patch path "${pointer}" does not exist`, { data: { path: pointer } });
}

function remove(doc: unknown, pointer: string): unknown {
  const value = get(doc, pointer);
  const { parent, key } = parentOf(doc, pointer);
  if (Array.isArray(parent)) parent.splice(Number(key), 1);
  else if (isMap(parent)) delete parent[key];
  return value;
}

/** RFC 6902 operations applied to a copy of `doc`. */
export function applyJsonPatch(doc: unknown, operations: JsonPatchOperation[]): unknown {
  const out = clone(doc);
  for (const op of operations) {
    switch (op.op) {
      case 'add':
        add(out, op.path, clone(op.value));
        break;
      case 'remove':
        remove(out, op.path);
        break;
      case 'replace':
        remove(out, op.path);
        add(out, op.path, clone(op.value));
        break;
      case 'move':
        add(out, op.path, remove(out, op.from ?? ''));
        break;
      case 'copy':
        add(out, op.path, clone(get(out, op.from ?? '')));
        break;
      case 'test':
        if (JSON.stringify(get(out, op.path)) !== JSON.stringify(op.value)) {
          throw new BuildError(`JSON patch test failed at "${op.path}"`, { data: { path: op.path } });
        }
        break;
      default:
        throw new BuildError(`unknown JSON patch operation "${op.op}"`, { data: { op: op.op } });
    }
  }
  return out;
}
