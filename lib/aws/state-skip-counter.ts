/**
 * The SkipCounter of an SQS worker in the state store: `deliveries/<queue>/<message id>`, written
 * only when a record is held back behind a failure of its group, read only on a redelivery, and
 * gone after SQS's retention (14 days), with the message.
 */
import type { StateStore } from '../state/state-store.ts';
import type { SkipCounter } from './sqs-batch.ts';

const RETENTION_SECONDS = 14 * 86_400;

export function stateSkipCounter(state: StateStore, queue: string): SkipCounter {
  const key = (id: string) => `deliveries/${queue}/${id}`;
  return {
    async skipped(id) {
      return (await state.get<number>(key(id)))?.value ?? 0;
    },
    async addSkip(id) {
      const before = (await state.get<number>(key(id)))?.value ?? 0;
      await state.put(key(id), before + 1, { ttlSeconds: RETENTION_SECONDS });
    },
  };
}
