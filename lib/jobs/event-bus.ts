/**
 * The internal event stream. Jobs publish Flux-shaped events; each is kept in state for
 * `ferry events` (with a TTL, like Kubernetes events) and handed to subscribers, which is where
 * alerts attach. Events that are only for the record are kept and not handed on. A subscriber that fails is logged and never fails the publisher: a broken alert
 * path must not fail the reconciliation that raised the event.
 */
import { randomBytes } from 'node:crypto';
import type { Logger } from '../observe/logger.ts';
import type { StateStore } from '../state/state-store.ts';
import type { EventSeverity, FluxEvent, InvolvedObject } from './event.ts';

export type EventSubscriber = (event: FluxEvent) => Promise<void> | void;

export interface EventBusOptions {
  /** How long events stay readable; Kubernetes keeps events for an hour, ferry a day by default. */
  retentionSeconds?: number;
  now?: () => Date;
  log?: Logger;
}

export class EventBus {
  readonly #store: StateStore;
  readonly #subscribers = new Set<EventSubscriber>();
  readonly #retentionSeconds: number;
  readonly #now: () => Date;
  readonly #log: Logger | undefined;

  constructor(store: StateStore, options: EventBusOptions = {}) {
    this.#store = store;
    this.#retentionSeconds = options.retentionSeconds ?? 86_400;
    this.#now = options.now ?? (() => new Date());
    this.#log = options.log;
  }

  subscribe(subscriber: EventSubscriber): () => void {
    this.#subscribers.add(subscriber);
    return () => this.#subscribers.delete(subscriber);
  }

  /** Builds an event stamped now, from the object it is about. */
  event(
    object: InvolvedObject,
    severity: EventSeverity,
    reason: string,
    message: string,
    metadata: Record<string, string> = {},
  ): FluxEvent {
    return {
      involvedObject: object,
      severity,
      reason,
      message,
      metadata,
      timestamp: this.#now().toISOString(),
      reportingController: 'ferry',
    };
  }

  async publish(event: FluxEvent): Promise<void> {
    await this.record(event);
    for (const subscriber of this.#subscribers) {
      try {
        await subscriber(event);
      } catch (error) {
        this.#log?.error({ err: error, event: summary(event) }, 'event subscriber failed');
      }
    }
  }

  /**
   * Keeps an event for `ferry events` without handing it to subscribers: what Flux records at trace
   * level (`ArtifactUpToDate`) and never sends to Alerts.
   */
  async record(event: FluxEvent): Promise<void> {
    const key = `events/${event.timestamp}/${randomBytes(6).toString('hex')}`;
    await this.#store.put(key, event, { ttlSeconds: this.#retentionSeconds });
    this.#log?.info({ event: summary(event) }, 'event');
  }

  /** The most recent events, oldest first; only those about `about` when given. */
  async recent(options: { about?: Partial<InvolvedObject>; limit?: number } = {}): Promise<FluxEvent[]> {
    const items = await this.#store.query<FluxEvent>('events/');
    const about = options.about;
    const matching = items
      .map((i) => i.value)
      .filter(
        (e) =>
          !about ||
          ((!about.kind || e.involvedObject.kind.toLowerCase() === about.kind.toLowerCase()) &&
            (!about.name || e.involvedObject.name === about.name) &&
            (!about.namespace || e.involvedObject.namespace === about.namespace)),
      );
    return matching.slice(-(options.limit ?? 100));
  }
}

function summary(e: FluxEvent) {
  const o = e.involvedObject;
  return {
    object: `${o.kind}/${o.namespace}/${o.name}`,
    severity: e.severity,
    reason: e.reason,
    message: e.message,
  };
}
