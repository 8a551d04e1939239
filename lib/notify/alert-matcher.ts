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

/** A compiled inclusion or exclusion pattern: whether it occurs in a message. */
export interface MessagePattern {
  test(message: string): boolean;
}

/** Patterns compiled once per config, shared by every Alert that lists the same one. */
export type PatternCache = Map<string, MessagePattern>;

/** Go's regexp metacharacters: a pattern without them is its own literal text. */
const META = /[\\.+*?()|[\]{}^$]/;

/**
 * RE2 for a pattern with any syntax in it; a plain substring (or prefix, suffix, whole-text)
 * comparison for one without, which answers the same and is what most exclusion lists hold.
 */
export function compilePattern(pattern: string, cache?: PatternCache): MessagePattern {
  const cached = cache?.get(pattern);
  if (cached) return cached;
  const anchoredStart = pattern.startsWith('^');
  const anchoredEnd = pattern.endsWith('$') && !pattern.endsWith('\\$');
  const core = pattern.slice(anchoredStart ? 1 : 0, anchoredEnd ? -1 : undefined);
  let compiled: MessagePattern;
  if (META.test(core)) compiled = withPrefilter(pattern, RE2JS.compile(pattern));
  else if (anchoredStart && anchoredEnd) compiled = { test: (m) => m === core };
  else if (anchoredStart) compiled = { test: (m) => m.startsWith(core) };
  else if (anchoredEnd) compiled = { test: (m) => m.endsWith(core) };
  else compiled = { test: (m) => m.includes(core) };
  cache?.set(pattern, compiled);
  return compiled;
}

/**
 * A cheap test in front of the engine: a message that lacks a literal every match needs cannot
 * match. For `^text…` without alternation, the message must start with `text`; otherwise it must
 * contain Go's LiteralPrefix (every match starts with it). Either saves the engine's per-call setup
 * on the many messages a pattern is not about.
 */
function withPrefilter(pattern: string, re2: RE2JS): MessagePattern {
  if (pattern.startsWith('^') && !pattern.includes('|')) {
    let lead = /^[^\\.+*?()|[\]{}^$]*/.exec(pattern.slice(1))?.[0] ?? '';
    const next = pattern.charAt(1 + lead.length);
    if (next !== '' && '?*+{'.includes(next)) lead = lead.slice(0, -1);
    if (lead !== '') return { test: (m) => m.startsWith(lead) && re2.test(m) };
  }
  const prefix: unknown = re2.re2().prefix;
  if (typeof prefix === 'string' && prefix !== '') return { test: (m) => m.includes(prefix) && re2.test(m) };
  return { test: (m) => re2.test(m) };
}

export class CompiledAlert {
  readonly alert: Alert;
  /** Position in the config (namespace, then name): matches are reported in this order. */
  readonly ordinal: number;
  readonly sources: readonly CompiledSource[];
  readonly errorsOnly: boolean;
  readonly #inclusion: readonly MessagePattern[];
  readonly #exclusion: readonly MessagePattern[];

  constructor(alert: Alert, ordinal: number, patterns: PatternCache = new Map()) {
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
    this.#inclusion = (spec.inclusionList ?? []).map((p) => compilePattern(p, patterns));
    this.#exclusion = (spec.exclusionList ?? []).map((p) => compilePattern(p, patterns));
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

  /** `seen` remembers each pattern's answer for this message, for Alerts that share patterns. */
  messageAllowed(message: string, seen?: Map<MessagePattern, boolean>): boolean {
    const test = (p: MessagePattern) => {
      if (seen === undefined) return p.test(message);
      const known = seen.get(p);
      if (known !== undefined) return known;
      const hit = p.test(message);
      seen.set(p, hit);
      return hit;
    };
    if (this.#inclusion.length > 0 && !this.#inclusion.some(test)) return false;
    return !this.#exclusion.some(test);
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
