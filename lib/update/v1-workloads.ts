/**
 * Flux v1 automated workloads, in two phases so tags can be resolved in between:
 * `findV1Workloads` lists every container image that automation may move (with its tag filter
 * and lock), the caller resolves a new reference per target, and `planV1Edits` (through
 * `updateFiles`) writes them. Workloads are Deployments, StatefulSets, DaemonSets, Jobs,
 * CronJobs, Pods and PodTemplates (init containers included) and HelmReleases' `spec.values`.
 * An image that also carries a setter marker is left to the setter.
 */
import type { Document, YAMLMap } from 'yaml';
import { parseAllDocuments } from 'yaml';
import type { HelmImageFields } from './helm-values.ts';
import { findHelmImages, helmFieldValues } from './helm-values.ts';
import type { ManifestFile } from './manifest-file.ts';
import { bytesContain, isManifestPath, manifestText } from './manifest-file.ts';
import type { TextEdit } from './scalar-edit.ts';
import { renderScalar } from './scalar-edit.ts';
import { SETTER_TOKEN } from './setter-marker.ts';
import type { PlannedChange } from './setters.ts';
import type { TagFilter } from './v1-policy.ts';
import { parseTagFilter, readV1Policy, tagFilterFor, V1_AUTOMATION_TOKENS, V1_PREFIX } from './v1-policy.ts';
import type { EditableScalar, Located } from './yaml-nodes.ts';
import { asMap, asSeq, child, editableString, elements, mapAt, scalarText, textMap } from './yaml-nodes.ts';

export interface V1Object {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
}

/** One container image (or HelmRelease values image) of an automated workload. */
export interface V1Target {
  /** Stable within one set of files; the key of the new reference handed to `updateFiles`. */
  key: string;
  file: string;
  documentIndex: number;
  object: V1Object;
  /** The container name, or for a HelmRelease the values key (`chart-image` at the top level). */
  container: string;
  /** The current image reference. */
  image: string;
  /** The tag filter expression, `glob:*` when none is set. */
  tagFilter: string;
  filter: TagFilter;
  locked: boolean;
  lockedMessage?: string;
  lockedUser?: string;
}

interface LocatedTarget extends V1Target {
  /** A container's `image` scalar, or the HelmRelease fields. */
  fields: EditableScalar | HelmImageFields;
}

const POD_SPEC_PATHS: Record<string, readonly string[]> = {
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
  Pod: ['spec'],
  PodTemplate: ['template', 'spec'],
};

/** Whether a file's bytes mention an automation annotation at all. */
export function mentionsV1Automation(bytes: Uint8Array): boolean {
  return bytesContain(bytes, V1_AUTOMATION_TOKENS);
}

/** Every image automation may update in these files; unreadable files are passed over. */
export function findV1Workloads(files: readonly ManifestFile[]): V1Target[] {
  const targets: V1Target[] = [];
  for (const file of files) {
    if (!isManifestPath(file.path) || !mentionsV1Automation(file.bytes)) continue;
    const text = manifestText(file.bytes);
    if (text === undefined) continue;
    for (const { fields: _, ...target } of locateV1Targets(file.path, text) ?? []) targets.push(target);
  }
  return targets;
}

/** The targets in one file's text, or undefined when it does not parse as YAML. */
function locateV1Targets(path: string, text: string): LocatedTarget[] | undefined {
  const documents = parseAllDocuments(text);
  if (!Array.isArray(documents)) return [];
  if (documents.some((doc) => doc.errors.length > 0)) return undefined;
  return documents.flatMap((doc, index) => documentTargets(path, index, doc));
}

function documentTargets(path: string, documentIndex: number, doc: Document): LocatedTarget[] {
  const root = asMap({ node: doc.contents, flow: false });
  const metadata = asMap(child(root, 'metadata'));
  const policy = readV1Policy(textMap(asMap(child(metadata, 'annotations'))));
  if (!policy.automated) return [];
  const apiVersion = scalarText(child(root, 'apiVersion')) ?? '';
  const kind = scalarText(child(root, 'kind')) ?? '';
  const name = scalarText(child(metadata, 'name')) ?? '';
  const namespace = scalarText(child(metadata, 'namespace'));
  const object: V1Object =
    namespace === undefined ? { apiVersion, kind, name } : { apiVersion, kind, name, namespace };
  const images = imagesOf(root, apiVersion, kind);
  return images.map(({ container, image, fields }) => {
    const tagFilter = tagFilterFor(policy, container);
    const target: LocatedTarget = {
      key: `${path}#${documentIndex}:${namespace ?? ''}:${kind}/${name}:${container}`,
      file: path,
      documentIndex,
      object,
      container,
      image,
      tagFilter,
      filter: parseTagFilter(tagFilter),
      locked: policy.locked,
      fields,
    };
    if (policy.lockedMessage !== undefined) target.lockedMessage = policy.lockedMessage;
    if (policy.lockedUser !== undefined) target.lockedUser = policy.lockedUser;
    return target;
  });
}

interface FoundImage {
  container: string;
  image: string;
  fields: EditableScalar | HelmImageFields;
}

function imagesOf(root: Located<YAMLMap> | undefined, apiVersion: string, kind: string): FoundImage[] {
  if (
    kind === 'HelmRelease' &&
    (apiVersion.startsWith('helm.toolkit.fluxcd.io/') || apiVersion === 'helm.fluxcd.io/v1')
  ) {
    const values = mapAt(root, ['spec', 'values']);
    if (!values) return [];
    return findHelmImages(values)
      .filter(({ fields }) => ![fields.registry, fields.name, fields.tag].some(isMarked))
      .map(({ container, reference, fields }) => ({ container, image: reference, fields }));
  }
  const specPath = POD_SPEC_PATHS[kind];
  if (!specPath) return [];
  const podSpec = mapAt(root, specPath);
  const found: FoundImage[] = [];
  for (const list of ['initContainers', 'containers']) {
    for (const item of elements(asSeq(child(podSpec, list)))) {
      const container = asMap(item);
      const name = scalarText(child(container, 'name'));
      const image = editableString(child(container, 'image'));
      if (name !== undefined && image && !isMarked(image))
        found.push({ container: name, image: image.value, fields: image });
    }
  }
  return found;
}

function isMarked(scalar: EditableScalar | undefined): boolean {
  return scalar?.comment?.includes(SETTER_TOKEN) ?? false;
}

export interface LockedTarget {
  target: V1Target;
  requested: string | undefined;
}

export interface V1Plan {
  edits: TextEdit[];
  changes: PlannedChange[];
  locked: LockedTarget[];
}

/**
 * The edits that move each target to its new reference in `references` (by target key). Locked
 * targets are never edited; they are listed, with the reference that was asked for, if any.
 * Undefined when the text does not parse as YAML.
 */
export function planV1Edits(
  path: string,
  text: string,
  references: ReadonlyMap<string, string>,
): V1Plan | undefined {
  const targets = locateV1Targets(path, text);
  if (!targets) return undefined;
  const plan: V1Plan = { edits: [], changes: [], locked: [] };
  for (const { fields, ...target } of targets) {
    const requested = references.get(target.key);
    if (target.locked) {
      plan.locked.push({ target, requested: requested !== target.image ? requested : undefined });
      continue;
    }
    if (requested === undefined || requested === target.image) continue;
    const setter = `${V1_PREFIX}tag.${target.container}`;
    const writes =
      'span' in fields ? [{ field: fields, value: requested }] : helmFieldValues(fields, requested);
    for (const { field, value } of writes) {
      if (field.value === value) continue;
      plan.edits.push({
        start: field.span.start,
        end: field.span.end,
        text: renderScalar(value, field.span.style, field.span.flow),
      });
      plan.changes.push({
        object: target.object,
        change: { oldValue: field.value, newValue: value, setter },
      });
    }
  }
  return plan;
}
