/**
 * Applies setter markers to one file's text: each marked scalar whose value differs from what
 * its policy selects is replaced in place, in its own quoting style, and nothing else moves.
 */
import type { ScalarSpan, TextEdit } from './scalar-edit.ts';
import { decodeScalar, renderScalar } from './scalar-edit.ts';
import type { LatestImage, SetterMarker } from './setter-marker.ts';
import { parseSetterMarker, SETTER_TOKEN, setterValue } from './setter-marker.ts';
import type { Change, ObjectIdInput, SkipReason } from './update-result.ts';
import type { ScannedDocument } from './yaml-scanner.ts';
import { scanYaml } from './yaml-scanner.ts';

export interface PlannedChange {
  object: ObjectIdInput;
  change: Change;
}

export interface PlannedSkip {
  offset: number;
  setter: string;
  reason: SkipReason;
}

export interface SetterPlan {
  edits: TextEdit[];
  changes: PlannedChange[];
  skipped: PlannedSkip[];
}

/** Parsed markers by comment text; markers repeat across files, so one cache serves a run. */
export type MarkerCache = Map<string, SetterMarker | null>;

/** The edits the markers in `text` call for, given each policy's latest image by `namespace:name`. */
export function planSetters(
  text: string,
  policies: ReadonlyMap<string, LatestImage>,
  cache: MarkerCache = new Map(),
): SetterPlan {
  const plan: SetterPlan = { edits: [], changes: [], skipped: [] };
  const { documents, comments } = scanYaml(text, SETTER_TOKEN);
  for (const comment of comments) {
    const source = text.slice(comment.start, comment.end);
    let marker = cache.get(source);
    if (marker === undefined) {
      marker = parseSetterMarker(source) ?? null;
      cache.set(source, marker);
    }
    if (!marker || comment.target === undefined) continue;
    const skip = (reason: SkipReason) =>
      plan.skipped.push({ offset: comment.start, setter: marker.setter, reason });
    if (comment.target === 'block-scalar') {
      skip('block-scalar');
      continue;
    }
    if (marker.policy === undefined) {
      skip('invalid-setter');
      continue;
    }
    const latest = policies.get(marker.policy);
    if (!latest?.tag) {
      skip('no-latest');
      continue;
    }
    const value = setterValue(marker.field, latest);
    if (value === undefined) {
      skip('no-digest');
      continue;
    }
    const span = comment.target;
    const oldValue = decodeScalar(text, span);
    if (oldValue === value) continue;
    plan.edits.push({ start: span.start, end: span.end, text: renderScalar(value, span.style, span.flow) });
    plan.changes.push({
      object: objectOf(text, documents[comment.document]),
      change: { oldValue, newValue: value, setter: marker.setter },
    });
  }
  return plan;
}

function objectOf(text: string, doc: ScannedDocument | undefined): ObjectIdInput {
  const read = (span: ScalarSpan | undefined) => (span ? decodeScalar(text, span) : undefined);
  return {
    apiVersion: read(doc?.apiVersion),
    kind: read(doc?.kind),
    name: read(doc?.name),
    namespace: read(doc?.namespace),
  };
}

/** 1-based line number of an offset. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}
