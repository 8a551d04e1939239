/**
 * One batch of messages handed over all at once, as an SQS FIFO event source hands a batch to a
 * function, handled with partial failure: one bad record never fails its neighbours.
 *
 * Groups run in parallel, the records of a group in order. A record that fails transiently fails
 * every later record of its group too, unrun ('skipped'): they go back to the queue with it, and
 * the group's order holds on the retry. A terminal error is an outcome, not a failure: the record is
 * done (the caller records the Stalled condition from the results) and the group moves on.
 */
import { failureClassOf } from '../errors.ts';

export interface BatchRecord<T> {
  id: string;
  group: string;
  body: T;
}

export interface BatchResult {
  id: string;
  outcome: 'ok' | 'terminal' | 'failed' | 'skipped';
  error?: unknown;
}

export interface BatchReport {
  /** One result per record, in the batch's order. */
  results: BatchResult[];
  /** Records to hand back to the queue (failed and skipped): a batch response's item failures. */
  failedIds: string[];
}

/** Runs `handler` over the batch; see the file's comment for the rules. */
export async function processBatch<T>(
  records: readonly BatchRecord<T>[],
  handler: (body: T, record: BatchRecord<T>) => Promise<void>,
): Promise<BatchReport> {
  const byGroup = new Map<string, BatchRecord<T>[]>();
  for (const record of records) byGroup.set(record.group, [...(byGroup.get(record.group) ?? []), record]);
  const results = new Map<string, BatchResult>();
  await Promise.all(
    [...byGroup.values()].map(async (group) => {
      let failed = false;
      for (const record of group) {
        if (failed) {
          results.set(record.id, { id: record.id, outcome: 'skipped' });
          continue;
        }
        try {
          await handler(record.body, record);
          results.set(record.id, { id: record.id, outcome: 'ok' });
        } catch (error) {
          const terminal = failureClassOf(error) === 'terminal';
          failed = !terminal;
          results.set(record.id, { id: record.id, outcome: terminal ? 'terminal' : 'failed', error });
        }
      }
    }),
  );
  const ordered = records.map((r) => results.get(r.id) ?? { id: r.id, outcome: 'skipped' as const });
  return {
    results: ordered,
    failedIds: ordered.filter((r) => r.outcome === 'failed' || r.outcome === 'skipped').map((r) => r.id),
  };
}
