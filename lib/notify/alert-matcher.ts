/**
 * One Alert, compiled: the rules of notification-controller v1beta3 for whether an event goes
 * through it, with its regular expressions compiled once.
 *
 * - An event source matches on kind and namespace exactly (the namespace defaults to the Alert's),
 *   and on name when it is the object's name or `*`. Flux treats `*` only as the whole name: `app-*`
 *   is a literal name, and no object is called that. ferry reads a namespace of `*` (which its
 *   schema admits only with name `*`) as every namespace; Flux compares it literally.
 * - matchLabels are checked against the involved object's labels in the config; an object the
 *   config does not hold matches no selector, as Flux's failed lookup matches nothing.
 * - eventSeverity `info` lets every event through, `error` only errors.
 * - inclusionList (any must match, when present), then exclusionList (none may match): exclusion
 *   wins. Go's regexp semantics (RE2), unanchored, as `regexp.Match` is.
 */
import { RE2JS } from 're2js';
import type { Alert } from '../config/index.ts';
import type { FluxEvent } from '../jobs/event.ts';

/** The labels of the object an event is about, or undefined when the config does not hold it. */
export type LabelsOf = (kind: string, namespace: string, name: string) => Record<string, string> | undefined;

/** An eventSources entry with its namespace resolved; `*` for every namespace. */
export interface CompiledSource {
  kind: string;
  namespace: string;
  name: string;
  matchLabels: ReadonlyArray<readonly [string, string]> | undefined;
}

export const ANY = '*';

export class CompiledAlert {
  readonly alert: Alert;
  /** Position in the config (namespace, then name): matches are reported in this order. */
  readonly ordinal: number;
  readonly sources: readonly CompiledSource[];
  readonly errorsOnly: boolean;
  readonly #inclusion: readonly RE2JS[];
  readonly #exclusion: readonly RE2JS[];

  constructor(alert: Alert, ordinal: number) {
    const { spec, metadata } = alert;
    this.alert = alert;
    this.ordinal = ordinal;
    this.sources = spec.eventSources.map((s) => ({
      kind: s.kind,
      namespace: s.namespace ?? metadata.namespace,
      name: s.name,
      matchLabels: s.matchLabels === undefined ? undefined : Object.entries(s.matchLabels),
    }));
    this.errorsOnly = spec.eventSeverity === 'error';
    this.#inclusion = (spec.inclusionList ?? []).map((p) => RE2JS.compile(p));
    this.#exclusion = (spec.exclusionList ?? []).map((p) => RE2JS.compile(p));
  }

  /** Every rule, tested in full: what the index must agree with. */
  matches(event: FluxEvent, labelsOf: LabelsOf): boolean {
    return (
      this.severityAllows(event) &&
      this.sources.some((s) => sourceMatches(s, event, labelsOf)) &&
      this.messageAllowed(event.message)
    );
  }

  severityAllows(event: FluxEvent): boolean {
    return !this.errorsOnly || event.severity === 'error';
  }

  messageAllowed(message: string): boolean {
    if (this.#inclusion.length > 0 && !this.#inclusion.some((r) => r.test(message))) return false;
    return !this.#exclusion.some((r) => r.test(message));
  }
}

export function sourceMatches(source: CompiledSource, event: FluxEvent, labelsOf: LabelsOf): boolean {
  const o = event.involvedObject;
  if (source.kind !== o.kind) return false;
  if (source.namespace !== ANY && source.namespace !== o.namespace) return false;
  if (source.name !== ANY && source.name !== o.name) return false;
  return labelsMatch(source, event, labelsOf);
}

/** The part of a source the index cannot decide from its buckets. */
export function labelsMatch(source: CompiledSource, event: FluxEvent, labelsOf: LabelsOf): boolean {
  if (source.matchLabels === undefined) return true;
  const o = event.involvedObject;
  const labels = labelsOf(o.kind, o.namespace, o.name);
  if (labels === undefined) return false;
  return source.matchLabels.every(([key, value]) => labels[key] === value);
}
