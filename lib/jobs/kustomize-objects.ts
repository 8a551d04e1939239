/**
 * What a Kustomization asks to be applied, from the files of its source at a commit: the kustomize
 * build of its path, its own spec fields (targetNamespace, patches, images, prefixes, common
 * metadata), post-build substitution in strict mode, and the owner labels prune relies on.
 */
import type { KObject } from '../build/index.ts';
import { applyKustomizationSpec, build, substitute } from '../build/index.ts';
import type { ConfigSet, Kustomization } from '../config/index.ts';
import { objectKey } from '../config/index.ts';
import { TerminalError } from '../errors.ts';
import { ownerLabels } from '../kube/index.ts';
import type { FileTree } from '../source/index.ts';

export function kustomizeObjects(kustomization: Kustomization, tree: FileTree, config: ConfigSet): KObject[] {
  const files = new Map(tree.list().map((path) => [path, tree.read(path) as Uint8Array]));
  const spec = kustomization.spec;
  let objects = applyKustomizationSpec(build(files, spec.path), spec);
  if (spec.postBuild) {
    objects = substitute(objects, { variables: variablesOf(kustomization, config), strict: true });
  }
  const labels = ownerLabels(kustomization.metadata);
  return objects.map((o) => {
    const metadata = (o.metadata ?? {}) as { labels?: Record<string, string> };
    return { ...o, metadata: { ...metadata, labels: { ...metadata.labels, ...labels } } };
  });
}

/** `postBuild.substitute` over the values of `substituteFrom`, later sources winning as in Flux. */
function variablesOf(kustomization: Kustomization, config: ConfigSet): Record<string, string> {
  const variables: Record<string, string> = {};
  for (const from of kustomization.spec.postBuild?.substituteFrom ?? []) {
    if (from.kind === 'ConfigMap') {
      if (from.optional) continue;
      throw new TerminalError(
        `${objectKey(kustomization)}: spec.postBuild.substituteFrom: ConfigMap ${from.name} — ConfigMaps are not read from the config yet; use a Secret`,
        { data: { reason: 'NotSupported', field: 'spec.postBuild.substituteFrom' } },
      );
    }
    const secret = config.get('Secret', kustomization.metadata.namespace, from.name);
    if (!secret && from.optional) continue;
    Object.assign(variables, config.secretValues(kustomization.metadata.namespace, from.name));
  }
  return { ...variables, ...kustomization.spec.postBuild?.substitute };
}
