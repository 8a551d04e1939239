/**
 * The manifest updater: files in, changed files and a Result out, no I/O. Like Flux, it reads
 * only `.yaml`/`.yml` files, and of those only the ones whose bytes hold `$imagepolicy` (setters)
 * or an automation annotation (Flux v1 workloads, when v1 references are given). Every byte it
 * does not mean to change stays as it was; an unchanged file is not returned.
 */

import type { ManifestFile } from './manifest-file.ts';
import { bytesContain, isManifestPath, manifestText } from './manifest-file.ts';
import type { TextEdit } from './scalar-edit.ts';
import { applyEdits } from './scalar-edit.ts';
import type { LatestImage } from './setter-marker.ts';
import { SETTER_TOKEN } from './setter-marker.ts';
import type { MarkerCache, PlannedChange } from './setters.ts';
import { lineAt, planSetters } from './setters.ts';
import type { UpdateResult } from './update-result.ts';
import { UpdateResultBuilder } from './update-result.ts';
import { mentionsV1Automation, planV1Edits } from './v1-workloads.ts';

export interface UpdateInputs {
  /** The latest image of each ImagePolicy in scope, by `namespace:name`. */
  policies: ReadonlyMap<string, LatestImage>;
  /** New references for Flux v1 targets, by `V1Target.key`; without it v1 workloads are not read. */
  v1?: ReadonlyMap<string, string>;
}

export interface UpdateOutput {
  /** New bytes of each file that changed, by path. */
  changed: Map<string, Uint8Array>;
  result: UpdateResult;
}

const encoder = new TextEncoder();

/** Applies setter markers and v1 references to `files`. */
export function updateFiles(files: readonly ManifestFile[], inputs: UpdateInputs): UpdateOutput {
  const changed = new Map<string, Uint8Array>();
  const builder = new UpdateResultBuilder();
  const markers: MarkerCache = new Map();
  for (const { path, bytes } of files) {
    if (!isManifestPath(path)) continue;
    const setters = bytesContain(bytes, [SETTER_TOKEN]);
    const v1 = inputs.v1 !== undefined && mentionsV1Automation(bytes);
    if (!setters && !v1) continue;
    const text = manifestText(bytes);
    if (text === undefined) {
      builder.problem({ file: path, reason: 'not-utf8' });
      continue;
    }
    const edits: TextEdit[] = [];
    const changes: PlannedChange[] = [];
    if (setters) {
      const plan = planSetters(text, inputs.policies, markers);
      edits.push(...plan.edits);
      changes.push(...plan.changes);
      for (const skip of plan.skipped) {
        builder.skip({
          file: path,
          line: lineAt(text, skip.offset),
          setter: skip.setter,
          reason: skip.reason,
        });
      }
    }
    if (v1 && inputs.v1) {
      const plan = planV1Edits(path, text, inputs.v1);
      if (plan) {
        const taken = edits.slice();
        plan.edits.forEach((edit, i) => {
          if (taken.some((t) => edit.start < t.end && t.start < edit.end)) return;
          edits.push(edit);
          changes.push(plan.changes[i] as PlannedChange);
        });
        for (const { target, requested } of plan.locked) {
          builder.lock({
            file: path,
            object: builder.objectId(target.object),
            container: target.container,
            ...(target.lockedMessage === undefined ? {} : { message: target.lockedMessage }),
            ...(target.lockedUser === undefined ? {} : { user: target.lockedUser }),
            ...(requested === undefined ? {} : { requested }),
          });
        }
      } else {
        builder.problem({ file: path, reason: 'unparsable' });
      }
    }
    if (edits.length === 0) continue;
    changed.set(path, encoder.encode(applyEdits(text, edits)));
    for (const { object, change } of changes) builder.addChange(path, builder.objectId(object), change);
  }
  return { changed, result: builder.build() };
}
