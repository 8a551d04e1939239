import { parseAllDocuments } from 'yaml';
import { BuildError } from './build-error.ts';
import type { KObject } from './manifest.ts';
import { clone, isMap } from './manifest.ts';
import { addCommonMetadata } from './metadata-transformers.ts';
import { fixNameReferences } from './name-references.ts';
import type { PatchTarget } from './patch-target.ts';
import { checkTarget } from './patch-target.ts';
import { applyPatch, classifyPatch } from './patches.ts';
import { newResource } from './resource.ts';
import type { ImageEntry } from './simple-transformers.ts';
import { addNameAffixes, setImages, setNamespace } from './simple-transformers.ts';
import { sortLegacy } from './sort-order.ts';

/** The fields of a Flux Kustomization's spec that change the built objects. */
export interface KustomizationSpecFields {
  targetNamespace?: string;
  patches?: { patch: string; target?: PatchTarget }[];
  images?: ImageEntry[];
  namePrefix?: string;
  nameSuffix?: string;
  commonMetadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
}

function parsePatch(text: string, index: number): unknown[] {
  const docs = parseAllDocuments(text, { version: '1.2' });
  for (const doc of docs) {
    if (doc.errors.length > 0) {
      throw new BuildError(`spec.patches[${index}]: invalid YAML: ${doc.errors[0]?.message}`, {
        data: { field: `spec.patches[${index}]` },
      });
    }
  }
  return docs.map((d) => d.toJS() as unknown).filter((d) => d !== null && d !== undefined);
}

/**
 * A Flux Kustomization's own fields over the built objects, in the order kustomize would apply
 * them had they been written into the root kustomization (as Flux does): patches, target
 * namespace, name prefix and suffix, images; then references to renamed objects are fixed.
 * `commonMetadata` goes on each object's own metadata only, never on selectors or pod
 * templates, as Flux sets it. The input objects are not modified.
 */
export function applyKustomizationSpec(
  objects: readonly KObject[],
  spec: KustomizationSpecFields,
): KObject[] {
  let resources = objects.map((obj) => newResource(clone(obj)));
  (spec.patches ?? []).forEach((entry, index) => {
    const source = `spec.patches[${index}]`;
    if (typeof entry.patch !== 'string')
      throw new BuildError(`${source}: patch must be a string`, { data: { field: source } });
    const target = entry.target === undefined ? undefined : checkTarget(entry.target, source);
    resources = applyPatch(resources, classifyPatch(parsePatch(entry.patch, index), source, target));
  });
  if (spec.targetNamespace) setNamespace(resources, spec.targetNamespace);
  addNameAffixes(resources, spec.namePrefix ?? '', spec.nameSuffix ?? '');
  const { labels, annotations } = spec.commonMetadata ?? {};
  addCommonMetadata(resources, isMap(labels) ? labels : {}, isMap(annotations) ? annotations : {});
  if (spec.images) setImages(resources, spec.images);
  fixNameReferences(resources);
  return sortLegacy(resources.map((r) => r.obj));
}
