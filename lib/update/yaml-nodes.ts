/**
 * Small readers over `yaml` document nodes for the v1 workload path: child lookups that remember
 * whether a flow collection encloses the node (it changes which plain scalars are safe), and
 * string scalars with the source span an edit replaces. v1 files are few, so a full parse is
 * affordable there; setter files go through the scanner instead.
 */
import type { Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { isMap, isScalar, isSeq } from 'yaml';
import type { ScalarSpan, ScalarStyle } from './scalar-edit.ts';

/** A node and whether any enclosing collection is in flow style. */
export interface Located<T> {
  node: T;
  flow: boolean;
}

/** A string scalar that can be rewritten in place. */
export interface EditableScalar {
  value: string;
  span: ScalarSpan;
  /** Its trailing comment, if any. */
  comment: string | undefined;
}

const STYLES: Record<string, ScalarStyle> = {
  PLAIN: 'plain',
  QUOTE_SINGLE: 'single',
  QUOTE_DOUBLE: 'double',
};

/** A mapping at `node`, with flow-ness carried down. */
export function asMap(located: Located<unknown> | undefined): Located<YAMLMap> | undefined {
  if (!located || !isMap(located.node)) return undefined;
  return { node: located.node, flow: located.flow || Boolean(located.node.flow) };
}

export function asSeq(located: Located<unknown> | undefined): Located<YAMLSeq> | undefined {
  if (!located || !isSeq(located.node)) return undefined;
  return { node: located.node, flow: located.flow || Boolean(located.node.flow) };
}

/** The value under `key` in a mapping. */
export function child(map: Located<YAMLMap> | undefined, key: string): Located<unknown> | undefined {
  if (!map) return undefined;
  for (const pair of map.node.items) {
    if (isScalar(pair.key) && pair.key.value === key) return { node: pair.value, flow: map.flow };
  }
  return undefined;
}

/** Follows a path of keys through mappings. */
export function mapAt(
  map: Located<YAMLMap> | undefined,
  path: readonly string[],
): Located<YAMLMap> | undefined {
  let at = map;
  for (const key of path) at = asMap(child(at, key));
  return at;
}

/** The elements of a sequence, each with its flow-ness. */
export function elements(seq: Located<YAMLSeq> | undefined): Located<unknown>[] {
  return seq ? seq.node.items.map((node) => ({ node, flow: seq.flow })) : [];
}

/** A string scalar in plain or quoted style; block scalars, aliases and non-strings are not editable. */
export function editableString(located: Located<unknown> | undefined): EditableScalar | undefined {
  if (!located || !isScalar(located.node)) return undefined;
  const node = located.node as Scalar;
  const style = STYLES[String(node.type)];
  if (typeof node.value !== 'string' || !style || !node.range) return undefined;
  return {
    value: node.value,
    span: { start: node.range[0], end: node.range[1], style, flow: located.flow },
    comment: node.comment ?? undefined,
  };
}

/** A scalar's value as text, for annotations: strings as they are, booleans and numbers spelt out. */
export function scalarText(located: Located<unknown> | undefined): string | undefined {
  if (!located || !isScalar(located.node)) return undefined;
  const value = located.node.value;
  return typeof value === 'string' || typeof value === 'boolean' || typeof value === 'number'
    ? String(value)
    : undefined;
}

/** A mapping of scalar keys to scalar texts, such as `metadata.annotations`. */
export function textMap(map: Located<YAMLMap> | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const pair of map?.node.items ?? []) {
    const value = scalarText({ node: pair.value, flow: false });
    if (isScalar(pair.key) && typeof pair.key.value === 'string' && value !== undefined)
      out.set(pair.key.value, value);
  }
  return out;
}
