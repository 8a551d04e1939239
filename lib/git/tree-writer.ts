/**
 * Applies file changes to a tree the way `git commit` would see them, writing only what changed: the
 * new blobs and the trees along changed paths. Every other subtree is kept by oid, unread, so a change
 * to three files of a 3,000-file repository reads and writes a few dozen objects.
 */
import { GitConfigError } from './git-errors.ts';
import type { TreeEntry } from './git-objects.ts';
import { FILE_MODE, isTree, serializeTree, TREE_MODE } from './git-objects.ts';
import type { ObjectBatch } from './object-batch.ts';
import type { ObjectCache } from './object-cache.ts';
import { normalizeTreePath, readTreeEntries } from './read-tree.ts';

/** New content per path; `null` deletes the path. */
export type FileChanges = ReadonlyMap<string, Uint8Array | null>;

type Node = { files: Map<string, Uint8Array | null>; dirs: Map<string, Node> };

/**
 * Writes (into `batch`) the tree `changes` make of `baseTree`, read from `cache` (undefined: start
 * empty), and returns its oid.
 */
export async function writeTreeChanges(
  cache: ObjectCache,
  batch: ObjectBatch,
  baseTree: string | undefined,
  changes: FileChanges,
): Promise<string> {
  const root = nest(changes);
  return (await apply(cache, batch, baseTree, root)) ?? batch.write('tree', Buffer.alloc(0));
}

function nest(changes: FileChanges): Node {
  const root: Node = { files: new Map(), dirs: new Map() };
  for (const [raw, bytes] of changes) {
    const path = normalizeTreePath(raw);
    const segments = path.split('/');
    if (path === '' || segments.includes('.git'))
      throw new GitConfigError(`cannot write ${JSON.stringify(raw)}`);
    let node = root;
    for (const segment of segments.slice(0, -1)) {
      if (node.files.has(segment))
        throw new GitConfigError(`${path} is changed both as a file and a directory`);
      let next = node.dirs.get(segment);
      if (!next) {
        next = { files: new Map(), dirs: new Map() };
        node.dirs.set(segment, next);
      }
      node = next;
    }
    const name = segments.at(-1)!;
    if (node.dirs.has(name)) throw new GitConfigError(`${path} is changed both as a file and a directory`);
    node.files.set(name, bytes);
  }
  return root;
}

/** The new oid of the tree at this level, or undefined when it ends up empty (git stores no empty trees). */
async function apply(
  cache: ObjectCache,
  batch: ObjectBatch,
  treeOid: string | undefined,
  node: Node,
): Promise<string | undefined> {
  const entries = new Map<string, TreeEntry>();
  if (treeOid) for (const entry of await readTreeEntries(cache, treeOid)) entries.set(entry.name, entry);

  for (const [name, bytes] of node.files) {
    if (bytes === null) {
      entries.delete(name);
      continue;
    }
    const existing = entries.get(name);
    // An edited file keeps its mode (an executable stays executable); anything else becomes a plain file.
    const mode = existing && !isTree(existing) && existing.mode !== '160000' ? existing.mode : FILE_MODE;
    const data = Buffer.isBuffer(bytes)
      ? bytes
      : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    entries.set(name, { mode, name, oid: batch.write('blob', data) });
  }
  for (const [name, child] of node.dirs) {
    const existing = entries.get(name);
    const oid = await apply(cache, batch, existing && isTree(existing) ? existing.oid : undefined, child);
    if (oid === undefined) entries.delete(name);
    else entries.set(name, { mode: TREE_MODE, name, oid });
  }
  if (entries.size === 0) return undefined;
  return batch.write('tree', serializeTree([...entries.values()]));
}
