/**
 * `ferry events [--for kind/name]`: the recent events ferry recorded in state (kept a day), oldest
 * first, as a table like `flux events` prints, or as JSON.
 */
import type { FluxEvent, InvolvedObject } from '../jobs/event.ts';
import { EventBus } from '../jobs/event-bus.ts';
import type { StateStore } from '../state/state-store.ts';
import { resolveKind } from './kinds.ts';
import { formatTable } from './table.ts';

export interface EventsOptions {
  /** `kind/name` or a bare kind, as typed (`ks/apps`, `Kustomization/apps`, `gitrepos`). */
  for?: string;
  namespace?: string;
  limit: number;
  output: 'table' | 'json';
}

/** The involved-object filter an `--for` and `--namespace` ask for; throws on an unknown kind. */
export function eventFilter(options: Pick<EventsOptions, 'for' | 'namespace'>): Partial<InvolvedObject> {
  const about: Partial<InvolvedObject> = {};
  if (options.for !== undefined) {
    const [kind = '', name, ...rest] = options.for.split('/');
    if (kind === '' || name === '' || rest.length > 0)
      throw new Error(`--for must be KIND or KIND/NAME, e.g. ks/apps; got "${options.for}"`);
    about.kind = resolveKind(kind);
    if (name !== undefined) about.name = name;
  }
  if (options.namespace !== undefined) about.namespace = options.namespace;
  return about;
}

export async function readEvents(store: StateStore, options: EventsOptions): Promise<FluxEvent[]> {
  return await new EventBus(store).recent({ about: eventFilter(options), limit: options.limit });
}

export function renderEvents(events: FluxEvent[], options: EventsOptions): string {
  if (options.output === 'json') return JSON.stringify(events, null, 2);
  if (events.length === 0) return `no events found${options.for ? ` for ${options.for}` : ''}`;
  const header = ['TIME', 'NAMESPACE', 'OBJECT', 'SEVERITY', 'REASON', 'MESSAGE'];
  const rows = events.map((e) => [
    e.timestamp,
    e.involvedObject.namespace,
    `${e.involvedObject.kind}/${e.involvedObject.name}`,
    e.severity,
    e.reason,
    e.message.replace(/\s*\n\s*/g, ' '),
  ]);
  return formatTable(header, rows);
}
