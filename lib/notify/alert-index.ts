/**
 * Which Alerts an event goes through, without testing every Alert: sources are bucketed by kind and
 * namespace, then by exact name with a separate bucket for `*`, so an event looks at the few
 * sources that name its object and the wildcards of its kind and namespace. Built once per config.
 *
 * Alerts that cannot deliver are left out when the index is built: suspended ones, and those whose
 * Provider is missing or suspended (Flux skips them at dispatch; the result is the same).
 */
import type { Alert, ConfigSet, FluxKind } from '../config/index.ts';
import { FLUX_KINDS } from '../config/index.ts';
import type { FluxEvent } from '../jobs/event.ts';
import type { CompiledSource, LabelsOf, MessagePattern, PatternCache } from './alert-matcher.ts';
import { ANY, CompiledAlert, labelsMatch } from './alert-matcher.ts';

interface Entry {
  alert: CompiledAlert;
  source: CompiledSource;
}

interface Bucket {
  byName: Map<string, Entry[]>;
  anyName: Entry[];
}

const FLUX_KIND_SET: ReadonlySet<string> = new Set(FLUX_KINDS);

export class AlertIndex {
  /** Every Alert that can deliver, in config order. */
  readonly alerts: readonly CompiledAlert[];
  readonly labelsOf: LabelsOf;
  /** kind → namespace (or `*`) → names. */
  readonly #buckets = new Map<string, Map<string, Bucket>>();

  constructor(alerts: readonly CompiledAlert[], labelsOf: LabelsOf) {
    this.alerts = alerts;
    this.labelsOf = labelsOf;
    for (const alert of alerts) for (const source of alert.sources) this.#add({ alert, source });
  }

  static fromConfig(config: ConfigSet): AlertIndex {
    const alerts = config.list('Alert').filter((a) => canDeliver(a, config));
    const labelsOf: LabelsOf = (kind, namespace, name) =>
      FLUX_KIND_SET.has(kind) ? config.get(kind as FluxKind, namespace, name)?.metadata.labels : undefined;
    const patterns: PatternCache = new Map();
    return new AlertIndex(
      alerts.map((a, i) => new CompiledAlert(a, i, patterns)),
      labelsOf,
    );
  }

  get size(): number {
    return this.alerts.length;
  }

  /** The Alerts the event goes through, in config order, each once. */
  match(event: FluxEvent): Alert[] {
    const o = event.involvedObject;
    const byNamespace = this.#buckets.get(o.kind);
    if (byNamespace === undefined) return [];
    const found: CompiledAlert[] = [];
    const own = byNamespace.get(o.namespace);
    const any = byNamespace.get(ANY);
    if (own !== undefined) {
      this.#collect(own.byName.get(o.name), event, found);
      this.#collect(own.anyName, event, found);
    }
    if (any !== undefined) {
      this.#collect(any.byName.get(o.name), event, found);
      this.#collect(any.anyName, event, found);
    }
    if (found.length === 0) return [];
    if (found.length > 1) found.sort((a, b) => a.ordinal - b.ordinal);
    const seen = new Map<MessagePattern, boolean>();
    const alerts: Alert[] = [];
    for (const a of found) if (a.messageAllowed(event.message, seen)) alerts.push(a.alert);
    return alerts;
  }

  #collect(entries: readonly Entry[] | undefined, event: FluxEvent, found: CompiledAlert[]): void {
    if (entries === undefined) return;
    for (const { alert, source } of entries) {
      if (!alert.severityAllows(event) || found.includes(alert)) continue;
      if (labelsMatch(source, event, this.labelsOf)) found.push(alert);
    }
  }

  #add(entry: Entry): void {
    const { kind, namespace, name } = entry.source;
    const byNamespace = this.#buckets.get(kind) ?? new Map<string, Bucket>();
    this.#buckets.set(kind, byNamespace);
    const bucket: Bucket = byNamespace.get(namespace) ?? { byName: new Map(), anyName: [] };
    byNamespace.set(namespace, bucket);
    if (name === ANY) {
      bucket.anyName.push(entry);
      return;
    }
    const named = bucket.byName.get(name);
    if (named === undefined) bucket.byName.set(name, [entry]);
    else named.push(entry);
  }
}

function canDeliver(alert: Alert, config: ConfigSet): boolean {
  if (alert.spec.suspend) return false;
  const provider = config.get('Provider', alert.metadata.namespace, alert.spec.providerRef.name);
  return provider !== undefined && provider.spec.suspend !== true;
}
