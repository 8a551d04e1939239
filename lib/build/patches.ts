import { BuildError } from './build-error.ts';
import type { JsonPatchOperation } from './json-patch.ts';
import { applyJsonPatch } from './json-patch.ts';
import type { KObject } from './manifest.ts';
import { groupVersionOf, isMap, kindOf, metadataOf, nameOf, namespaceOf } from './manifest.ts';
import type { PatchTarget } from './patch-target.ts';
import { selectTargets } from './patch-target.ts';
import type { Resource } from './resource.ts';
import { namesOf, namespacesOf } from './resource.ts';
import { strategicMerge } from './strategic-merge.ts';

/** A patch ready to apply: either strategic-merge documents or JSON 6902 operations. */
export type LoadedPatch =
  | { type: 'strategic'; docs: KObject[]; target?: PatchTarget; source: string }
  | { type: 'json6902'; ops: JsonPatchOperation[]; target: PatchTarget; source: string };

const builtInGroups = new Set([
  '',
  'apps',
  'batch',
  'autoscaling',
  'policy',
  'networking.k8s.io',
  'rbac.authorization.k8s.io',
  'storage.k8s.io',
  'scheduling.k8s.io',
  'coordination.k8s.io',
  'discovery.k8s.io',
  'node.k8s.io',
  'admissionregistration.k8s.io',
  'apiextensions.k8s.io',
  'certificates.k8s.io',
]);

function selfTargets(resources: Resource[], doc: KObject): Resource[] {
  const gv = groupVersionOf(doc);
  const ns = namespaceOf(doc);
  return resources.filter(
    (res) =>
      kindOf(res.obj) === kindOf(doc) &&
      groupVersionOf(res.obj).group === gv.group &&
      namesOf(res).has(nameOf(doc)) &&
      (ns === '' || namespacesOf(res).has(ns)),
  );
}

/** Applies one patch to every resource it selects, in place; a patch that selects nothing is an error. */
export function applyPatch(resources: Resource[], patch: LoadedPatch): Resource[] {
  if (patch.type === 'json6902') {
    for (const res of selectTargets(resources, patch.target)) {
      res.obj = applyJsonPatch(res.obj, patch.ops) as KObject;
    }
    return resources;
  }
  let out = resources;
  for (const doc of patch.docs) {
    const targets = patch.target ? selectTargets(out, patch.target) : selfTargets(out, doc);
    if (!patch.target && targets.length === 0) {
      throw new BuildError(
        `${patch.source}: no resource matches the patch for ${kindOf(doc)}/${nameOf(doc)}`,
        {
          data: { file: patch.source, kind: kindOf(doc), name: nameOf(doc) },
        },
      );
    }
    for (const res of targets) {
      if (doc.$patch === 'delete') {
        out = out.filter((r) => r !== res);
        continue;
      }
      const body = { ...doc, metadata: { ...metadataOf(doc) } } as KObject;
      const meta = body.metadata as Record<string, unknown>;
      if (patch.target) {
        meta.name = nameOf(res.obj);
        if (namespaceOf(res.obj)) meta.namespace = namespaceOf(res.obj);
      } else {
        delete meta.name;
        delete meta.namespace;
      }
      const builtIn = builtInGroups.has(groupVersionOf(res.obj).group);
      res.obj = strategicMerge(res.obj, body, builtIn) as KObject;
    }
  }
  return out;
}

/** A patch text: a YAML list is JSON 6902, anything else strategic merge documents. */
export function classifyPatch(docs: unknown[], source: string, target: PatchTarget | undefined): LoadedPatch {
  const first = docs[0];
  if (Array.isArray(first)) {
    if (!target)
      throw new BuildError(`${source}: a JSON 6902 patch needs a target`, { data: { file: source } });
    return { type: 'json6902', ops: first as JsonPatchOperation[], target, source };
  }
  const maps = docs.filter(isMap) as KObject[];
  return { type: 'strategic', docs: maps, ...(target ? { target } : {}), source };
}
