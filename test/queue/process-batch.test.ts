import { describe, expect, it } from 'vitest';
import { TerminalError, TransientError } from '../../lib/errors.ts';
import type { BatchRecord } from '../../lib/queue/process-batch.ts';
import { processBatch } from '../../lib/queue/process-batch.ts';

const record = (id: string, group: string): BatchRecord<{ id: string }> => ({ id, group, body: { id } });

describe('processBatch', () => {
  it('fails only the failing record and the later records of its group', async () => {
    const ran: string[] = [];
    const report = await processBatch(
      [record('a1', 'a'), record('b1', 'b'), record('a2', 'a'), record('a3', 'a'), record('b2', 'b')],
      async ({ id }) => {
        ran.push(id);
        if (id === 'a2') throw new TransientError('registry answered 503');
      },
    );
    expect(report.results.map((r) => [r.id, r.outcome])).toEqual([
      ['a1', 'ok'],
      ['b1', 'ok'],
      ['a2', 'failed'],
      ['a3', 'skipped'],
      ['b2', 'ok'],
    ]);
    expect(report.failedIds).toEqual(['a2', 'a3']);
    expect(ran).not.toContain('a3');
  });

  it('counts a terminal error as done and moves on within the group', async () => {
    const report = await processBatch([record('a1', 'a'), record('a2', 'a')], async ({ id }) => {
      if (id === 'a1') throw new TerminalError('invalid policy');
    });
    expect(report.results.map((r) => r.outcome)).toEqual(['terminal', 'ok']);
    expect(report.results[0]?.error).toBeInstanceOf(TerminalError);
    expect(report.failedIds).toEqual([]);
  });

  it('runs different groups at the same time', async () => {
    let running = 0;
    let most = 0;
    await processBatch([record('a1', 'a'), record('b1', 'b'), record('c1', 'c')], async () => {
      most = Math.max(most, ++running);
      await new Promise((resolve) => setTimeout(resolve, 20));
      running--;
    });
    expect(most).toBe(3);
  });
});
