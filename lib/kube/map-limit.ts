/** The settled result of one item: its value, or what it threw. */
export type Settled<R> = { ok: true; value: R } | { ok: false; error: unknown };

/**
 * Runs `fn` over the items with at most `limit` in flight and settles every one: one failing
 * object never stops its neighbours. Results keep the input order.
 */
export async function settleLimited<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<Settled<R>[]> {
  const results = new Array<Settled<R>>(items.length);
  let next = 0;
  async function worker(): Promise<void> {
    while (next < items.length) {
      const index = next++;
      try {
        results[index] = { ok: true, value: await fn(items[index] as T) };
      } catch (error) {
        results[index] = { ok: false, error };
      }
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

/** The values, or the first failure (in input order) with every failed item's name added to its data. */
export function valuesOrThrow<R>(settled: Settled<R>[], nameOf: (index: number) => string): R[] {
  const failed = settled.flatMap((s, i) => (s.ok ? [] : [{ index: i, error: s.error }]));
  const first = failed[0];
  if (!first) return settled.map((s) => (s as { value: R }).value);
  const { error } = first;
  if (failed.length > 1 && typeof error === 'object' && error !== null && 'data' in error) {
    (error as { data: Record<string, unknown> }).data.failedObjects = failed.map((f) => nameOf(f.index));
  }
  throw error;
}
