/**
 * The schedule, pure: which objects are due now. Like Flux on object creation, every object is
 * reconciled once soon after it appears (spread over the first seconds so a large config does not
 * fire all at once), then every interval with jitter; an object whose definition changed is due at
 * once. The caller keeps the entries between ticks (in memory locally, in state on AWS).
 */

export interface Schedulable {
  /** `Kind/namespace/name`. */
  key: string;
  intervalMs: number;
  /** Changes whenever the object's definition changes. */
  fingerprint: string;
}

export interface ScheduleEntry {
  nextAt: number;
  intervalMs: number;
  fingerprint: string;
}

export interface ScheduleOptions {
  /** Fraction of the interval added or removed at random; Flux's default is 5 %. */
  jitter?: number;
  /** First reconciles spread over this window, growing with the number of objects. */
  startupSpreadMs?: (count: number) => number;
  random?: () => number;
}

export interface SchedulePlan {
  entries: Map<string, ScheduleEntry>;
  /** Keys due now, in the order they fell due. */
  due: string[];
}

/** Up to 200 ms per object, between one and thirty seconds. */
export function defaultStartupSpreadMs(count: number): number {
  return Math.min(30_000, Math.max(1_000, count * 200));
}

export function planSchedule(
  objects: readonly Schedulable[],
  previous: ReadonlyMap<string, ScheduleEntry>,
  now: number,
  options: ScheduleOptions = {},
): SchedulePlan {
  const jitter = options.jitter ?? 0.05;
  const random = options.random ?? Math.random;
  const spread = (options.startupSpreadMs ?? defaultStartupSpreadMs)(objects.length);
  const entries = new Map<string, ScheduleEntry>();
  const due: Array<{ key: string; at: number }> = [];

  for (const object of objects) {
    const before = previous.get(object.key);
    let nextAt: number;
    if (!before) nextAt = now + Math.floor(random() * spread);
    else if (before.fingerprint !== object.fingerprint) nextAt = now;
    else if (before.intervalMs !== object.intervalMs)
      nextAt = Math.min(before.nextAt, now + object.intervalMs);
    else nextAt = before.nextAt;

    if (nextAt <= now) {
      due.push({ key: object.key, at: nextAt });
      const factor = 1 + (random() * 2 - 1) * jitter;
      nextAt = now + Math.max(1_000, Math.round(object.intervalMs * factor));
    }
    entries.set(object.key, { nextAt, intervalMs: object.intervalMs, fingerprint: object.fingerprint });
  }
  due.sort((a, b) => a.at - b.at || a.key.localeCompare(b.key));
  return { entries, due: due.map((d) => d.key) };
}
