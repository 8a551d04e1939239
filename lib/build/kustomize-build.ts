import { parseAllDocuments } from 'yaml';
import { BuildError } from './build-error.ts';
import type { FileTree } from './file-tree.ts';
import { joinPath, normalizePath, treeFromMap } from './file-tree.ts';
import { generatedResources } from './generated-kustomization.ts';
import { addGenerated, contentHash, generate } from './generators.ts';
import type { KustomizationFile } from './kustomization-file.ts';
import { findKustomization, loadKustomization } from './kustomization-file.ts';
import type { KObject } from './manifest.ts';
import { metadataOf, nameOf, parseManifests } from './manifest.ts';
import { addAnnotations, addCommonLabels, addLabels } from './metadata-transformers.ts';
import { fixNameReferences } from './name-references.ts';
import { checkTarget } from './patch-target.ts';
import type { LoadedPatch } from './patches.ts';
import { applyPatch, classifyPatch } from './patches.ts';
import type { Resource } from './resource.ts';
import { describe, idOf, newResource, remember } from './resource.ts';
import { addNameAffixes, setImages, setNamespace, setReplicas } from './simple-transformers.ts';
import { sortLegacy } from './sort-order.ts';

/**
 * Builds the kustomization at `path` as `kubectl kustomize` does: the objects in its output
 * order. A directory without a kustomization file builds from every YAML file under it, as
 * Flux generates one.
 */
export function build(files: FileTree | ReadonlyMap<string, Uint8Array>, path: string): KObject[] {
  const tree =
    'list' in files && typeof files.list === 'function'
      ? (files as FileTree)
      : treeFromMap(files as ReadonlyMap<string, Uint8Array>);
  const root = normalizePath(path);
  if (root.startsWith('..')) throw new BuildError(`path "${path}" leaves the repository`, { data: { path } });
  const resources = findKustomization(tree, root)
    ? accumulate(tree, root, [])
    : generatedResources(tree, root, (dir, stack) => accumulate(tree, dir, stack));
  for (const res of resources) {
    if (!res.hashSuffix) continue;
    remember(res);
    metadataOf(res.obj).name = `${nameOf(res.obj)}-${contentHash(res.obj)}`;
  }
  fixNameReferences(resources);
  return sortLegacy(resources.map((r) => r.obj));
}

const parsed = new WeakMap<FileTree, Map<string, KObject[]>>();

/** A file's objects, parsed once per tree however many overlays include it; each caller gets a copy. */
function readManifests(tree: FileTree, path: string, bytes: Uint8Array): KObject[] {
  let files = parsed.get(tree);
  if (!files) {
    files = new Map();
    parsed.set(tree, files);
  }
  let objects = files.get(path);
  if (!objects) {
    objects = parseManifests(new TextDecoder().decode(bytes), path);
    files.set(path, objects);
  }
  return structuredClone(objects);
}

/** A kustomization directory built on its own, as a base is before an overlay changes it. */
function accumulate(tree: FileTree, dir: string, stack: string[]): Resource[] {
  if (stack.includes(dir)) throw new BuildError(`${dir}: cycle of kustomizations`, { data: { dir, stack } });
  const file = findKustomization(tree, dir);
  if (!file) throw new BuildError(`${dir || '.'}: no kustomization file`, { data: { dir } });
  const spec = loadKustomization(tree, file);
  if (spec.kind === 'Component' && stack.length > 0) {
    throw new BuildError(`${file}: a Component is listed under resources, not components`, {
      data: { file },
    });
  }
  return apply(tree, dir, file, spec, [], [...stack, dir]);
}

function isRemote(entry: string): boolean {
  return (
    /^[a-z][a-z0-9+.-]*:\/\//i.test(entry) ||
    /^(github\.com|gitlab\.com|bitbucket\.org)\//.test(entry) ||
    entry.includes('?ref=')
  );
}

function addResources(target: Resource[], ids: Set<string>, added: Resource[], file: string): void {
  for (const res of added) {
    const id = idOf(res.obj);
    if (ids.has(id)) {
      throw new BuildError(`${file}: ${describe(res.obj)} is included twice`, {
        data: { file, object: describe(res.obj) },
      });
    }
    ids.add(id);
    target.push(res);
  }
}

function loadResources(
  tree: FileTree,
  dir: string,
  file: string,
  entry: string,
  stack: string[],
): Resource[] {
  if (isRemote(entry)) {
    throw new BuildError(
      `${file}: remote resource "${entry}" is not supported; vendor it into the repository`,
      {
        data: { file, field: 'resources', resource: entry },
      },
    );
  }
  const path = joinPath(dir, entry);
  if (path.startsWith('..'))
    throw new BuildError(`${file}: "${entry}" leaves the repository`, { data: { file, resource: entry } });
  const bytes = tree.read(path);
  if (bytes) return readManifests(tree, path, bytes).map(newResource);
  if (tree.list(path)) return accumulate(tree, path, stack);
  throw new BuildError(`${file}: resource "${entry}" not found`, {
    data: { file, field: 'resources', resource: entry },
  });
}

function patchText(
  tree: FileTree,
  dir: string,
  file: string,
  entry: { path?: string; patch?: string },
): { text: string; source: string } {
  if (typeof entry.patch === 'string') return { text: entry.patch, source: file };
  if (typeof entry.path !== 'string')
    throw new BuildError(`${file}: a patch has neither path nor patch`, { data: { file } });
  const bytes = tree.read(joinPath(dir, entry.path));
  if (!bytes)
    throw new BuildError(`${file}: patch file "${entry.path}" not found`, {
      data: { file, path: entry.path },
    });
  return { text: new TextDecoder().decode(bytes), source: joinPath(dir, entry.path) };
}

function parsePatch(text: string, source: string): unknown[] {
  const docs = parseAllDocuments(text, { version: '1.2' });
  for (const doc of docs) {
    if (doc.errors.length > 0) {
      throw new BuildError(`${source}: invalid patch YAML: ${doc.errors[0]?.message}`, {
        data: { file: source },
      });
    }
  }
  return docs.map((d) => d.toJS() as unknown).filter((d) => d !== null && d !== undefined);
}

/** The patches of one kustomization, in the order kustomize applies them. */
function loadPatches(tree: FileTree, dir: string, file: string, spec: KustomizationFile) {
  const strategic: LoadedPatch[] = (spec.patchesStrategicMerge ?? []).map((entry) => {
    const inline = entry.includes('\n');
    const { text, source } = inline
      ? { text: entry, source: file }
      : patchText(tree, dir, file, { path: entry });
    return classifyPatch(parsePatch(text, source), source, undefined);
  });
  const patches = (spec.patches ?? []).map((entry) => {
    const { text, source } = patchText(tree, dir, file, entry);
    const target = entry.target === undefined ? undefined : checkTarget(entry.target, file);
    return classifyPatch(parsePatch(text, source), source, target);
  });
  const json6902 = (spec.patchesJson6902 ?? []).map((entry) => {
    const { text, source } = patchText(tree, dir, file, entry);
    const docs = parsePatch(text, source);
    return classifyPatch(Array.isArray(docs[0]) ? docs : [docs], source, checkTarget(entry.target, file));
  });
  return { strategic, patches, json6902 };
}

/**
 * One kustomization's (or component's) fields over `resources`: its own resources, generators,
 * components, then the transformers in kustomize's order.
 */
function apply(
  tree: FileTree,
  dir: string,
  file: string,
  spec: KustomizationFile,
  start: Resource[],
  stack: string[],
): Resource[] {
  let resources = start;
  const ids = new Set(resources.map((r) => idOf(r.obj)));
  for (const entry of spec.resources ?? []) {
    addResources(resources, ids, loadResources(tree, dir, file, entry, stack), file);
  }
  const options = spec.generatorOptions ?? {};
  for (const entry of spec.configMapGenerator ?? []) {
    addGenerated(resources, generate(tree, dir, file, 'ConfigMap', entry, options), file);
  }
  for (const entry of spec.secretGenerator ?? []) {
    addGenerated(resources, generate(tree, dir, file, 'Secret', entry, options), file);
  }
  for (const entry of spec.components ?? []) {
    const compDir = joinPath(dir, entry);
    const compFile = findKustomization(tree, compDir);
    if (!compFile)
      throw new BuildError(`${file}: component "${entry}" not found`, { data: { file, component: entry } });
    const comp = loadKustomization(tree, compFile);
    if (comp.kind !== 'Component') {
      throw new BuildError(`${compFile}: a component must have kind Component`, { data: { file: compFile } });
    }
    resources = apply(tree, compDir, compFile, comp, resources, [...stack, compDir]);
  }
  const { strategic, patches, json6902 } = loadPatches(tree, dir, file, spec);
  for (const patch of [...strategic, ...patches]) resources = applyPatch(resources, patch);
  if (spec.namespace) setNamespace(resources, spec.namespace);
  addNameAffixes(resources, spec.namePrefix ?? '', spec.nameSuffix ?? '');
  for (const entry of spec.labels ?? []) addLabels(resources, entry);
  if (spec.commonLabels) addCommonLabels(resources, stringMap(spec.commonLabels));
  if (spec.commonAnnotations) addAnnotations(resources, stringMap(spec.commonAnnotations));
  for (const patch of json6902) resources = applyPatch(resources, patch);
  if (spec.replicas) setReplicas(resources, spec.replicas);
  if (spec.images) setImages(resources, spec.images);
  return resources;
}

/** Label and annotation values are strings in the output whatever YAML type they were written as. */
function stringMap(map: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(map).map(([k, v]) => [k, v === null ? '' : String(v)]));
}
