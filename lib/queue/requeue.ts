/**
 * A handler's request to continue later: "nothing failed, come back in N seconds". A Kustomization
 * waiting for its workloads to turn healthy returns one instead of holding a worker (and a visibility
 * timeout) for minutes.
 *
 * The consumer sends the continuation as a new message of the same group (delayed by N seconds,
 * deduplicated per original message, so a continuation sent twice runs once) and then acknowledges
 * the current one. A new message starts at receiveCount 1: waiting is not failing, and a job that
 * waits often never runs into maxReceives. The continuation joins the back of its group, so newer
 * work for the same object that was already queued runs first.
 */

const REQUEUE = Symbol.for('ferry.queue.requeue');

export interface Requeue<T> {
  readonly [REQUEUE]: true;
  readonly afterSeconds: number;
  /** The continuation's body; the current body when absent. */
  readonly body: T | undefined;
}

/** Ask the consumer to run this job again (or `body` in its place) after `afterSeconds`. */
export function requeue<T>(afterSeconds: number, body?: T): Requeue<T> {
  return { [REQUEUE]: true, afterSeconds, body };
}

export function isRequeue<T>(value: unknown): value is Requeue<T> {
  return typeof value === 'object' && value !== null && REQUEUE in value;
}
