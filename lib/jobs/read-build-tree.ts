/**
 * The files a Kustomization's build needs, read from git: the trees under its path, then what its
 * kustomization files name outside it. Reading only these keeps an apply's cost to its own part of a
 * large fleet repository.
 */
import { outsideReferences, treeFromMap } from '../build/index.ts';
import { normalizeTreePath } from '../git/index.ts';
import type { ArtifactRead, FileTree as SourceTree } from '../source/index.ts';

/**
 * The files the build of `path` needs: the trees under it, then whatever its kustomization files
 * name outside it (an overlay's `../base`), round after round until nothing new is named.
 */
export async function readBuildTree(
  path: string,
  read: (paths: string[], optionalPaths: string[]) => Promise<ArtifactRead>,
): Promise<SourceTree> {
  const paths = [normalizeTreePath(path)];
  const named: string[] = [];
  for (;;) {
    const { tree } = await read(paths, named);
    const files = new Map(tree.list().map((p) => [p, tree.read(p) as Uint8Array]));
    const more = outsideReferences(treeFromMap(files), [...paths, ...named]);
    if (more.length === 0) return tree;
    named.push(...more);
  }
}
