/**
 * Object status as Flux records it: a list of conditions (Ready, Stalled, Reconciling) plus
 * kind-specific fields. Stored in state under `status/<Kind>/<namespace>/<name>` so that
 * `ferry get` and readiness of dependants read one place.
 */
import type { StateStore } from '../state/state-store.ts';
import { StateConflictError } from '../state/state-store.ts';

export type ConditionStatus = 'True' | 'False' | 'Unknown';

export interface Condition {
  type: string;
  status: ConditionStatus;
  reason: string;
  message: string;
  /** RFC 3339; changes only when `status` changes, as in Kubernetes. */
  lastTransitionTime: string;
}

export interface ObjectStatus {
  conditions: Condition[];
  /** RFC 3339 time of the last finished reconciliation, successful or not. */
  lastReconciledAt?: string;
  [field: string]: unknown;
}

export interface StatusSubject {
  kind: string;
  namespace: string;
  name: string;
}

export function statusKey(subject: StatusSubject): string {
  return `status/${subject.kind}/${subject.namespace}/${subject.name}`;
}

/** Sets one condition, keeping its transition time when only the reason or message changed. */
export function setCondition(
  conditions: readonly Condition[],
  next: Omit<Condition, 'lastTransitionTime'>,
  now: Date,
): Condition[] {
  const previous = conditions.find((c) => c.type === next.type);
  const lastTransitionTime =
    previous && previous.status === next.status ? previous.lastTransitionTime : now.toISOString();
  return [...conditions.filter((c) => c.type !== next.type), { ...next, lastTransitionTime }].sort((a, b) =>
    a.type.localeCompare(b.type),
  );
}

export function removeCondition(conditions: readonly Condition[], type: string): Condition[] {
  return without(conditions, type);
}

export function conditionOf(status: ObjectStatus | undefined, type: string): Condition | undefined {
  return status?.conditions.find((c) => c.type === type);
}

/** Reads and writes status with optimistic concurrency, so two jobs never lose each other's fields. */
export class StatusRecorder {
  readonly #store: StateStore;
  readonly #now: () => Date;

  constructor(store: StateStore, now: () => Date = () => new Date()) {
    this.#store = store;
    this.#now = now;
  }

  async read(subject: StatusSubject): Promise<ObjectStatus | undefined> {
    return (await this.#store.get<ObjectStatus>(statusKey(subject)))?.value;
  }

  /** Applies `mutate` to the current status and stores it, re-reading on a lost race. */
  async update(
    subject: StatusSubject,
    mutate: (status: ObjectStatus, now: Date) => ObjectStatus,
  ): Promise<ObjectStatus> {
    const key = statusKey(subject);
    for (let attempt = 1; ; attempt++) {
      const current = await this.#store.get<ObjectStatus>(key);
      const next = mutate(current?.value ?? { conditions: [] }, this.#now());
      try {
        await this.#store.put(key, next, current ? { ifVersion: current.version } : { ifAbsent: true });
        return next;
      } catch (error) {
        if (!(error instanceof StateConflictError) || attempt >= 5) throw error;
      }
    }
  }

  /** Ready=True; clears Stalled and Reconciling. */
  async markReady(
    subject: StatusSubject,
    reason: string,
    message: string,
    fields: Record<string, unknown> = {},
  ) {
    return await this.#transition(subject, fields, (c, now) =>
      without(
        setCondition(c, { type: 'Ready', status: 'True', reason, message }, now),
        'Stalled',
        'Reconciling',
      ),
    );
  }

  /** Ready=False and Stalled=True: retrying cannot help until the config changes. */
  async markStalled(subject: StatusSubject, reason: string, message: string) {
    return await this.#transition(subject, {}, (c, now) =>
      setCondition(
        setCondition(c, { type: 'Ready', status: 'False', reason, message }, now),
        { type: 'Stalled', status: 'True', reason, message },
        now,
      ),
    );
  }

  /** Ready=False with Reconciling=True: a transient failure that will be retried. */
  async markRetrying(subject: StatusSubject, reason: string, message: string) {
    return await this.#transition(subject, {}, (c, now) =>
      setCondition(
        without(setCondition(c, { type: 'Ready', status: 'False', reason, message }, now), 'Stalled'),
        { type: 'Reconciling', status: 'True', reason: 'ProgressingWithRetry', message },
        now,
      ),
    );
  }

  /** Ready=False, no retry left: the job dead-lettered. */
  async markFailed(subject: StatusSubject, reason: string, message: string) {
    return await this.#transition(subject, {}, (c, now) =>
      without(setCondition(c, { type: 'Ready', status: 'False', reason, message }, now), 'Reconciling'),
    );
  }

  /** A finished reconciliation: new conditions, the given fields, and the time it ended. */
  #transition(
    subject: StatusSubject,
    fields: Record<string, unknown>,
    conditions: (current: readonly Condition[], now: Date) => Condition[],
  ) {
    return this.update(subject, (s, now) => ({
      ...s,
      ...fields,
      lastReconciledAt: now.toISOString(),
      conditions: conditions(s.conditions, now),
    }));
  }
}

function without(conditions: readonly Condition[], ...types: string[]): Condition[] {
  return conditions.filter((c) => !types.includes(c.type));
}
