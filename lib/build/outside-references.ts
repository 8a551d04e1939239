/**
 * The paths a build will reach outside the directories read so far: an overlay's `../base`, a
 * component in a sibling tree, a patch file one level up. The apply job reads only the trees its
 * Kustomization's path needs; this says which further trees the kustomization files name, so that it
 * reads those too and the build sees what kustomize would see in a full checkout.
 */
import type { FileTree } from './file-tree.ts';
import { joinPath } from './file-tree.ts';
import type { KustomizationFile } from './kustomization-file.ts';
import { findKustomization, loadKustomization } from './kustomization-file.ts';

/**
 * Local paths named by the kustomization files found under `read` (and, transitively, in what they
 * name that is already present) that lie outside every path in `read`. Remote resources (URLs) are
 * left to the build, which refuses them by name.
 */
export function outsideReferences(tree: FileTree, read: readonly string[]): string[] {
  const within = (path: string) => read.some((r) => r === '' || path === r || path.startsWith(`${r}/`));
  const outside = new Set<string>();
  const visited = new Set<string>();
  const visit = (dir: string) => {
    if (visited.has(dir)) return;
    visited.add(dir);
    const listing = tree.list(dir);
    if (!listing) return;
    const file = findKustomization(tree, dir);
    if (file) {
      for (const path of namedPaths(loadKustomization(tree, file))) {
        const target = joinPath(dir, path);
        if (target.startsWith('..')) continue;
        if (!within(target)) outside.add(target);
        else if (tree.list(target)) visit(target);
      }
    }
    for (const sub of listing.dirs) visit(dir ? `${dir}/${sub}` : sub);
  };
  for (const dir of read) visit(dir);
  return [...outside].sort();
}

function namedPaths(k: KustomizationFile): string[] {
  const local = (p: string | undefined) =>
    p !== undefined && !/^[a-z][a-z0-9+.-]*:\/\//i.test(p) && !p.includes('?ref=');
  const generated = [...(k.configMapGenerator ?? []), ...(k.secretGenerator ?? [])].flatMap((g) => [
    ...(g.files ?? []).map((f) => f.slice(f.indexOf('=') + 1)),
    ...(g.envs ?? []),
    ...(g.env ? [g.env] : []),
  ]);
  const paths = [
    ...(k.resources ?? []),
    ...(k.components ?? []),
    ...(k.patches ?? []).map((p) => p.path),
    ...(k.patchesJson6902 ?? []).map((p) => p.path),
    // An entry of patchesStrategicMerge may be the patch itself rather than a file.
    ...(k.patchesStrategicMerge ?? []).filter((p) => !p.includes('\n')),
    ...generated,
  ];
  return paths.filter((p): p is string => local(p));
}
