/**
 * Images in a HelmRelease's `spec.values`, found where fluxd looked: at the top level (the
 * container fluxd called `chart-image`) and one level down, under any key (the key is the
 * container name). At each place the image is `image: repo:tag`, `image: repo` beside `tag`,
 * either with a `registry` beside it, or `image: {repository, tag, registry}`. An update writes
 * the new reference back split the same way, touching only the fields whose value changes.
 */
import type { YAMLMap } from 'yaml';
import type { EditableScalar, Located } from './yaml-nodes.ts';
import { asMap, child, editableString } from './yaml-nodes.ts';

/** fluxd's container name for an image at the top level of the values. */
export const CHART_IMAGE = 'chart-image';

export interface HelmImageFields {
  registry?: EditableScalar;
  /** The `image` string, or the `repository` inside an `image` mapping. */
  name: EditableScalar;
  tag?: EditableScalar;
}

export interface HelmImage {
  container: string;
  reference: string;
  fields: HelmImageFields;
}

/** The images in `spec.values`, sorted by container name as fluxd listed them. */
export function findHelmImages(values: Located<YAMLMap>): HelmImage[] {
  const found = new Map<string, HelmImageFields>();
  const top = interpretContainer(values);
  if (top) found.set(CHART_IMAGE, top);
  for (const pair of values.node.items) {
    const key = (pair.key as { value?: unknown } | null)?.value;
    if (typeof key !== 'string' || key === 'image') continue;
    const fields = interpretContainer(asMap({ node: pair.value, flow: values.flow }));
    if (fields) found.set(key, fields);
  }
  return [...found]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([container, fields]) => ({ container, reference: helmReference(fields), fields }));
}

function interpretContainer(map: Located<YAMLMap> | undefined): HelmImageFields | undefined {
  const image = child(map, 'image');
  if (!image) return undefined;
  const name = editableString(image);
  if (name) return withSiblings(map, name);
  const nested = asMap(image);
  const repository = editableString(child(nested, 'repository'));
  return repository ? withSiblings(nested, repository) : undefined;
}

/** Adds `registry` and `tag` when present; one that is present but not a string makes the shape unusable. */
function withSiblings(map: Located<YAMLMap> | undefined, name: EditableScalar): HelmImageFields | undefined {
  const fields: HelmImageFields = { name };
  for (const key of ['registry', 'tag'] as const) {
    const node = child(map, key);
    if (!node) continue;
    const scalar = editableString(node);
    if (!scalar) return undefined;
    fields[key] = scalar;
  }
  return fields;
}

/** The reference the fields make up: `registry/name:tag`, each part where present. */
export function helmReference(fields: HelmImageFields): string {
  let reference = fields.name.value;
  if (fields.tag) reference = `${withoutTag(reference)}:${fields.tag.value}`;
  if (fields.registry) reference = `${fields.registry.value}/${reference}`;
  return reference;
}

/** The value each field should take for `reference`, split as the fields split the current one. */
export function helmFieldValues(
  fields: HelmImageFields,
  reference: string,
): { field: EditableScalar; value: string }[] {
  let rest = reference;
  const out: { field: EditableScalar; value: string }[] = [];
  if (fields.registry) {
    const slash = rest.indexOf('/');
    if (slash > 0) {
      out.push({ field: fields.registry, value: rest.slice(0, slash) });
      rest = rest.slice(slash + 1);
    }
  }
  if (fields.tag) {
    const name = withoutTag(rest);
    out.push({ field: fields.name, value: name });
    out.push({ field: fields.tag, value: rest.slice(name.length + 1) });
  } else {
    out.push({ field: fields.name, value: rest });
  }
  return out;
}

/** `repo/app:1.0@sha256:…` → `repo/app`. */
function withoutTag(reference: string): string {
  const at = reference.indexOf('@');
  const name = at >= 0 ? reference.slice(0, at) : reference;
  const colon = name.lastIndexOf(':');
  return colon > name.lastIndexOf('/') ? name.slice(0, colon) : name;
}
