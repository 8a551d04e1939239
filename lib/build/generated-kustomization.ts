import { BuildError } from './build-error.ts';
import type { FileTree } from './file-tree.ts';
import { findKustomization } from './kustomization-file.ts';
import { parseManifests } from './manifest.ts';
import type { Resource } from './resource.ts';
import { describe, idOf, newResource } from './resource.ts';

/**
 * What Flux builds for a path without a kustomization file: every `.yaml`/`.yml` file under it,
 * walked in lexical order; a subdirectory with its own kustomization file is built as one
 * resource and not descended into. A YAML file that is not Kubernetes objects fails the build.
 */
export function generatedResources(
  tree: FileTree,
  root: string,
  kustomize: (dir: string, stack: string[]) => Resource[],
): Resource[] {
  if (!tree.list(root)) throw new BuildError(`path "${root || '.'}" not found`, { data: { path: root } });
  const out: Resource[] = [];
  const seen = new Set<string>();
  const add = (list: Resource[]) => {
    for (const res of list) {
      const id = idOf(res.obj);
      if (seen.has(id))
        throw new BuildError(`${describe(res.obj)} is defined twice under ${root || '.'}`, {
          data: { path: root },
        });
      seen.add(id);
      out.push(res);
    }
  };
  const walk = (dir: string) => {
    const listing = tree.list(dir);
    if (!listing) return;
    const dirs = new Set(listing.dirs);
    for (const name of [...listing.files, ...listing.dirs].sort()) {
      const path = dir ? `${dir}/${name}` : name;
      if (dirs.has(name)) {
        if (findKustomization(tree, path)) add(kustomize(path, [root]));
        else walk(path);
      } else if (name.endsWith('.yaml') || name.endsWith('.yml')) {
        add(parseManifests(new TextDecoder().decode(tree.read(path)), path).map(newResource));
      }
    }
  };
  walk(root);
  return out;
}
