import { describe, expect, it } from 'vitest';
import { removeCondition, setCondition } from '../../lib/jobs/status.ts';

const t0 = new Date('2026-01-01T00:00:00Z');
const t1 = new Date('2026-01-01T00:05:00Z');

describe('conditions', () => {
  it('keeps the transition time when only the reason or message changes', () => {
    const first = setCondition([], { type: 'Ready', status: 'False', reason: 'A', message: 'a' }, t0);
    const second = setCondition(first, { type: 'Ready', status: 'False', reason: 'B', message: 'b' }, t1);
    expect(second).toEqual([
      { type: 'Ready', status: 'False', reason: 'B', message: 'b', lastTransitionTime: t0.toISOString() },
    ]);
  });

  it('moves the transition time when the status flips', () => {
    const first = setCondition([], { type: 'Ready', status: 'False', reason: 'A', message: 'a' }, t0);
    const second = setCondition(first, { type: 'Ready', status: 'True', reason: 'A', message: 'a' }, t1);
    expect(second[0]?.lastTransitionTime).toBe(t1.toISOString());
  });

  it('keeps one condition per type, sorted by type', () => {
    let c = setCondition([], { type: 'Stalled', status: 'True', reason: 'X', message: '' }, t0);
    c = setCondition(c, { type: 'Ready', status: 'False', reason: 'X', message: '' }, t0);
    c = setCondition(c, { type: 'Ready', status: 'True', reason: 'Y', message: '' }, t1);
    expect(c.map((x) => `${x.type}=${x.status}`)).toEqual(['Ready=True', 'Stalled=True']);
    expect(removeCondition(c, 'Stalled').map((x) => x.type)).toEqual(['Ready']);
  });
});
