/**
 * The files a Kustomization's build needs, read from git: the trees under its path, then what its
 * kustomization files name outside it. Reading only these keeps an apply's cost to its own part of a
 * large fleet repository.
 */
import { outsideReferences, treeFromMap } from '../build/index.ts';
import { normalizeTreePath } from '../git/index.ts';
import type { ArtifactRead } from '../source/index.ts';

/**
 * The files the build of `path` needs: the trees under it, then whatever its kustomization files
 * name outside it (an overlay's `../base`), round after round until nothing new is named. Each round
 * reads only the paths named new in the one before.
 */
export async function readBuildTree(
  path: string,
  read: (paths: string[], optionalPaths: string[]) => Promise<ArtifactRead>,
): Promise<Map<string, Uint8Array>> {
  const files = new Map<string, Uint8Array>();
  const done: string[] = [];
  let next = { paths: [normalizeTreePath(path)], optionalPaths: [] as string[] };
  for (;;) {
    const { tree } = await read(next.paths, next.optionalPaths);
    for (const p of tree.list()) files.set(p, tree.read(p) as Uint8Array);
    done.push(...next.paths, ...next.optionalPaths);
    const more = outsideReferences(treeFromMap(files), done);
    if (more.length === 0) return files;
    next = { paths: [], optionalPaths: more };
  }
}
