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

export function kustomizeObjects(
  kustomization: Kustomization,
  files: ReadonlyMap<string, Uint8Array>,
  config: ConfigSet,
): KObject[] {
  const spec = kustomization.spec;
  if (spec.decryption) {
    throw new TerminalError(
      `${objectKey(kustomization)}: spec.decryption (${spec.decryption.provider}) is not supported by ferry: it would apply the encrypted manifests as they are; decrypt before committing, or keep secrets out of git`,
      { data: { reason: 'NotSupported', field: 'spec.decryption' } },
    );
  }
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
    const namespace = kustomization.metadata.namespace;
    if (from.kind === 'ConfigMap') {
      const configMap = config.get('ConfigMap', namespace, from.name);
      if (!configMap && from.optional) continue;
      if (!configMap) {
        throw new TerminalError(
          `${objectKey(kustomization)}: spec.postBuild.substituteFrom: ConfigMap ${namespace}/${from.name} does not exist`,
          { data: { reason: 'BuildFailed', field: 'spec.postBuild.substituteFrom', name: from.name } },
        );
      }
      Object.assign(variables, configMap.values);
      continue;
    }
    const secret = config.get('Secret', namespace, from.name);
    if (!secret && from.optional) continue;
    Object.assign(
      variables,
      config.secretValues(namespace, from.name, { referrer: objectKey(kustomization) }),
    );
  }
  return { ...variables, ...kustomization.spec.postBuild?.substitute };
}
