/**
 * Every error ferry raises on purpose is either terminal (retrying cannot help: bad config,
 * an invalid policy, an unparsable manifest) or transient (the network, a 5xx, a conflict).
 * The job framework acts on that class alone, so an error class declares it once, here,
 * and never both.
 */
export type FailureClass = 'terminal' | 'transient';

export interface FerryErrorOptions {
  cause?: unknown;
  /** Structured context for logs and events: object names, file paths, field paths. Never secrets. */
  data?: Record<string, unknown>;
}

export abstract class FerryError extends Error {
  abstract readonly failure: FailureClass;
  readonly data: Record<string, unknown>;

  constructor(message: string, options: FerryErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.data = options.data ?? {};
  }
}

/** Retrying will not help; the job records a Stalled condition and is acknowledged. */
export class TerminalError extends FerryError {
  readonly failure = 'terminal' as const;
}

/** Retrying may help; the queue redelivers with backoff and dead-letters after the last try. */
export class TransientError extends FerryError {
  readonly failure = 'transient' as const;
}

/**
 * The failure class of anything thrown. Errors ferry did not classify (a socket reset inside an
 * SDK, a bug) count as transient: a retry costs little, and the dead-letter queue catches the rest.
 */
export function failureClassOf(error: unknown): FailureClass {
  return error instanceof FerryError ? error.failure : 'transient';
}
