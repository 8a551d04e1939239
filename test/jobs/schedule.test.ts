import { describe, expect, it } from 'vitest';
import type { ScheduleEntry } from '../../lib/jobs/schedule.ts';
import { defaultStartupSpreadMs, planSchedule } from '../../lib/jobs/schedule.ts';

const MIN = 60_000;
const object = (key: string, intervalMs = 5 * MIN, fingerprint = 'a') => ({ key, intervalMs, fingerprint });
const fixed = (value: number) => () => value;

describe('schedule', () => {
  it('spreads the first reconciles of new objects over the start-up window', () => {
    const objects = Array.from({ length: 20 }, (_, i) => object(`Kustomization/ns/k${i}`));
    const plan = planSchedule(objects, new Map(), 1_000_000, { jitter: 0 });
    const waiting = [...plan.entries.entries()].filter(([key]) => !plan.due.includes(key));
    const offsets = waiting.map(([, e]) => e.nextAt - 1_000_000);
    expect(waiting.length).toBeGreaterThan(15);
    expect(new Set(offsets).size).toBeGreaterThan(15);
    expect(Math.max(...offsets)).toBeLessThan(defaultStartupSpreadMs(20));
    expect(Math.min(...offsets)).toBeGreaterThan(0);
  });

  it('makes every object due within the spread window, then every interval', () => {
    const objects = [object('GitRepository/ns/a', MIN), object('GitRepository/ns/b', 2 * MIN)];
    let entries: Map<string, ScheduleEntry> = new Map();
    const ran: Record<string, number[]> = { 'GitRepository/ns/a': [], 'GitRepository/ns/b': [] };
    for (let t = 0; t <= 10 * MIN; t += 1_000) {
      const plan = planSchedule(objects, entries, t, { jitter: 0, random: fixed(0.5) });
      entries = plan.entries;
      for (const key of plan.due) ran[key]?.push(t);
    }
    expect(ran['GitRepository/ns/a']?.[0]).toBeLessThanOrEqual(defaultStartupSpreadMs(2));
    expect(ran['GitRepository/ns/a']).toHaveLength(10);
    expect(ran['GitRepository/ns/b']).toHaveLength(5);
    const gaps = ran['GitRepository/ns/a']?.slice(1).map((t, i) => t - (ran['GitRepository/ns/a']?.[i] ?? 0));
    expect(new Set(gaps)).toEqual(new Set([MIN]));
  });

  it.each([
    ['the lowest random draw', 0, 0.95],
    ['the highest random draw', 0.999_999, 1.05],
  ])('adds at most 5 %% jitter to the interval (%s)', (_label, draw, factor) => {
    const previous = new Map([['a/b/c', { nextAt: 0, intervalMs: 100_000, fingerprint: 'a' }]]);
    const plan = planSchedule([object('a/b/c', 100_000)], previous, 0, { random: fixed(draw) });
    expect(plan.due).toEqual(['a/b/c']);
    expect(plan.entries.get('a/b/c')?.nextAt).toBeCloseTo(100_000 * factor, -1);
  });

  it('reconciles a changed object at once', () => {
    const previous = new Map([['a/b/c', { nextAt: 9 * MIN, intervalMs: 10 * MIN, fingerprint: 'old' }]]);
    const unchanged = planSchedule([object('a/b/c', 10 * MIN, 'old')], previous, MIN);
    const changed = planSchedule([object('a/b/c', 10 * MIN, 'new')], previous, MIN);
    expect(unchanged.due).toEqual([]);
    expect(changed.due).toEqual(['a/b/c']);
  });

  it('brings the next run forward when the interval shrinks', () => {
    const previous = new Map([['a/b/c', { nextAt: 60 * MIN, intervalMs: 60 * MIN, fingerprint: 'x' }]]);
    const plan = planSchedule([object('a/b/c', MIN, 'x')], previous, 0);
    expect(plan.entries.get('a/b/c')?.nextAt).toBe(MIN);
  });

  it('forgets objects that left the config', () => {
    const previous = new Map([['gone/x/y', { nextAt: 0, intervalMs: MIN, fingerprint: 'x' }]]);
    const plan = planSchedule([], previous, 0);
    expect(plan.due).toEqual([]);
    expect(plan.entries.size).toBe(0);
  });
});
