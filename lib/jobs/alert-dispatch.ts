/**
 * Where events meet Alerts: every published event is matched against the config's Alerts, checked
 * against the five-minute dedupe window, and becomes one `notify` job per Alert it goes through.
 *
 * Nothing here talks to a receiver: delivery happens in the notify job, so a receiver that is
 * down or slow costs the job that raised the event one local match, one state write and one queue
 * send, never a network round trip. The job's group is its Provider (defaultGroup), so deliveries
 * to one receiver stay in order; its dedupeId hashes the job, event timestamp included, so the
 * same event published twice is queued once.
 */
import type { ConfigSet } from '../config/index.ts';
// From their modules, not the notify index: the index re-exports delivery and its HTTP client,
// which every AWS worker would then bundle although only the notify worker delivers.
import { AlertIndex } from '../notify/alert-index.ts';
import { admitEvent } from '../notify/dedupe.ts';
import type { Logger } from '../observe/logger.ts';
import type { StateStore } from '../state/state-store.ts';
import type { JobEnqueuer } from './enqueuer.ts';
import type { FluxEvent } from './event.ts';
import type { EventBus } from './event-bus.ts';
import type { NotifyJob } from './job.ts';

export interface AlertDispatchDeps {
  config: () => ConfigSet;
  enqueuer: JobEnqueuer;
  state: StateStore;
  log: Logger;
  now: () => Date;
}

/** Subscribes alert dispatch to the bus; returns the unsubscribe. Never throws into a publisher. */
export function attachAlerts(events: EventBus, deps: AlertDispatchDeps): () => void {
  let built: { config: ConfigSet; index: AlertIndex } | undefined;
  const indexOf = (config: ConfigSet): AlertIndex => {
    if (built?.config !== config) built = { config, index: AlertIndex.fromConfig(config) };
    return built.index;
  };
  return events.subscribe(async (event) => {
    try {
      await dispatchEvent(event, indexOf(deps.config()), deps);
    } catch (error) {
      deps.log.error(
        { err: error, event: describe(event) },
        'alert dispatch failed; the event sent no alert',
      );
    }
  });
}

/** Matches, dedupes and enqueues one event; returns the jobs enqueued. */
export async function dispatchEvent(
  event: FluxEvent,
  index: AlertIndex,
  deps: Omit<AlertDispatchDeps, 'config'>,
): Promise<NotifyJob[]> {
  const alerts = index.match(event);
  if (alerts.length === 0) return [];
  if (!(await admitEvent(deps.state, event, deps.now))) {
    deps.log.debug({ event: describe(event) }, 'identical event within five minutes; no alert sent');
    return [];
  }
  const jobs: NotifyJob[] = alerts.map((alert) => ({
    kind: 'notify',
    provider: { namespace: alert.metadata.namespace, name: alert.spec.providerRef.name },
    alert: { namespace: alert.metadata.namespace, name: alert.metadata.name },
    event,
  }));
  for (const job of jobs) await deps.enqueuer.enqueue(job);
  return jobs;
}

function describe(e: FluxEvent) {
  const o = e.involvedObject;
  return { object: `${o.kind}/${o.namespace}/${o.name}`, reason: e.reason };
}
