/**
 * Reads files out of a commit without a checkout: only the trees along `path` and below it are read,
 * and only the blobs the caller accepts. Paths are repository-relative with `/` separators, in git's
 * order. Regular files only: symlinks and submodules are not manifests and are skipped, as a setter
 * would not follow them out of the tree either.
 */
import { GitConfigError, GitPathNotFoundError } from './git-errors.ts';
import type { TreeEntry } from './git-objects.ts';
import { isTree, parseCommit, parseTree } from './git-objects.ts';
import type { ObjectCache } from './object-cache.ts';

export type TreeFile = { path: string; bytes: Uint8Array };

const REGULAR = new Set(['100644', '100755', '100664']);

/**
 * `./apps/`, `apps`, `/apps` and `apps/.` all name `apps`; `./`, `.` and `` name the root (`''`). A `..`
 * segment is refused rather than resolved: no path may leave the repository.
 */
export function normalizeTreePath(path: string): string {
  const segments = path.split('/').filter((segment) => segment !== '' && segment !== '.');
  if (segments.includes('..')) throw new GitConfigError(`path ${JSON.stringify(path)} leaves the repository`);
  return segments.join('/');
}

/** Every regular file under `path` in `commit` (a path naming a file lists just that file). */
export async function listTreeFiles(cache: ObjectCache, commit: string, path: string): Promise<string[]> {
  return (await collectFiles(cache, commit, path)).map((file) => file.path);
}

/** The bytes of every regular file under `path` that `accept` takes (all when omitted). */
export async function readTreeFiles(
  cache: ObjectCache,
  commit: string,
  path: string,
  accept: (path: string) => boolean = () => true,
): Promise<TreeFile[]> {
  const files = (await collectFiles(cache, commit, path)).filter((file) => accept(file.path));
  const out: TreeFile[] = [];
  for (const file of files) out.push({ path: file.path, bytes: (await cache.read(file.oid)).data });
  return out;
}

/** The root tree of a commit. */
export async function commitTree(cache: ObjectCache, commit: string): Promise<string> {
  const object = await cache.read(commit);
  if (object.type !== 'commit') throw new GitConfigError(`${commit} is a ${object.type}, not a commit`);
  return parseCommit(object.data).tree;
}

export async function readTreeEntries(cache: ObjectCache, oid: string): Promise<TreeEntry[]> {
  const object = await cache.read(oid);
  if (object.type !== 'tree') throw new Error(`object ${oid} is a ${object.type}, not a tree`);
  return parseTree(object.data);
}

/** One entry of a directory: a subtree or a regular file (symlinks and submodules are left out). */
export type DirectoryEntry = { name: string; kind: 'tree' | 'file'; oid: string };

/** The entries of the directory at `path` in `commit`, reading only the trees along `path`. */
export async function listDirectory(
  cache: ObjectCache,
  commit: string,
  path: string,
): Promise<DirectoryEntry[]> {
  const normalized = normalizeTreePath(path);
  let oid = await commitTree(cache, commit);
  for (const segment of normalized === '' ? [] : normalized.split('/')) {
    const found = (await readTreeEntries(cache, oid)).find(
      (child) => child.name === segment && isTree(child),
    );
    if (!found) {
      throw new GitPathNotFoundError(`directory ${normalized} is not in commit ${commit}`, {
        data: { path: normalized, commit },
      });
    }
    oid = found.oid;
  }
  return directoryEntries(cache, oid);
}

/** The entries of the tree object `oid`. */
export async function directoryEntries(cache: ObjectCache, oid: string): Promise<DirectoryEntry[]> {
  const entries: DirectoryEntry[] = [];
  for (const child of await readTreeEntries(cache, oid)) {
    if (isTree(child)) entries.push({ name: child.name, kind: 'tree', oid: child.oid });
    else if (REGULAR.has(child.mode)) entries.push({ name: child.name, kind: 'file', oid: child.oid });
  }
  return entries;
}

type FileRef = { path: string; oid: string };

async function collectFiles(cache: ObjectCache, commit: string, path: string): Promise<FileRef[]> {
  const normalized = normalizeTreePath(path);
  let entry: TreeEntry = { mode: '40000', name: '', oid: await commitTree(cache, commit) };
  for (const segment of normalized === '' ? [] : normalized.split('/')) {
    const found = isTree(entry)
      ? (await readTreeEntries(cache, entry.oid)).find((child) => child.name === segment)
      : undefined;
    if (!found) {
      throw new GitPathNotFoundError(`${normalized} is not in commit ${commit}`, {
        data: { path: normalized, commit },
      });
    }
    entry = found;
  }
  if (!isTree(entry)) return REGULAR.has(entry.mode) ? [{ path: normalized, oid: entry.oid }] : [];
  const files: FileRef[] = [];
  const walk = async (oid: string, prefix: string): Promise<void> => {
    for (const child of await readTreeEntries(cache, oid)) {
      const childPath = `${prefix}${child.name}`;
      if (isTree(child)) await walk(child.oid, `${childPath}/`);
      else if (REGULAR.has(child.mode)) files.push({ path: childPath, oid: child.oid });
    }
  };
  await walk(entry.oid, normalized === '' ? '' : `${normalized}/`);
  return files;
}
