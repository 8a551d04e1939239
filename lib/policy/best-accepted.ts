/**
 * The best candidate a filter accepts, asking the filter as little as possible. Filters run an RE2
 * engine, costlier than comparing two parsed versions, so rather than asking about every candidate
 * (or every candidate that beats the best so far, which in a registry's sorted listing is most of
 * them) the candidates go into a binary heap and come out best first until one is accepted:
 * O(n + m log n) comparisons and m + 1 filter calls when the filter turns down m of them.
 */
export function bestAccepted<T>(
  candidates: T[],
  better: (a: T, b: T) => boolean,
  accept: (candidate: T) => boolean,
): T | undefined {
  const heap = candidates;
  for (let i = (heap.length >> 1) - 1; i >= 0; i--) siftDown(heap, i, heap.length, better);
  for (let size = heap.length; size > 0; size--) {
    const top = heap[0]!;
    if (accept(top)) return top;
    heap[0] = heap[size - 1]!;
    siftDown(heap, 0, size - 1, better);
  }
  return undefined;
}

function siftDown<T>(heap: T[], start: number, size: number, better: (a: T, b: T) => boolean): void {
  let i = start;
  for (;;) {
    const left = 2 * i + 1;
    if (left >= size) return;
    const right = left + 1;
    const child = right < size && better(heap[right]!, heap[left]!) ? right : left;
    if (!better(heap[child]!, heap[i]!)) return;
    const swap = heap[i]!;
    heap[i] = heap[child]!;
    heap[child] = swap;
    i = child;
  }
}
