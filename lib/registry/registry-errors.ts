/**
 * What can go wrong talking to a registry, each either terminal or transient. Messages and data
 * name the host, the repository and the HTTP status, never a credential or a token: they end up
 * in logs, events and recorded status.
 */
import { TerminalError, TransientError } from '../errors.ts';

export interface RegistryErrorData {
  host: string;
  repository?: string;
  reference?: string;
  status?: number;
  [key: string]: unknown;
}

/** The registry refused us even after fresh credentials or a fresh token: retrying will not change that. */
export class RegistryAuthError extends TerminalError {
  constructor(message: string, data: RegistryErrorData, cause?: unknown) {
    super(message, { data, cause });
  }
}

/** The repository, tag or blob does not exist. */
export class RegistryNotFoundError extends TerminalError {
  constructor(message: string, data: RegistryErrorData) {
    super(message, { data });
  }
}

/**
 * The registry answered in a way no retry can fix: an unexpected 4xx, a body that is not what the
 * distribution spec says, a digest that does not match its bytes, a paging loop.
 */
export class RegistryProtocolError extends TerminalError {
  constructor(message: string, data: RegistryErrorData, cause?: unknown) {
    super(message, { data, cause });
  }
}

/**
 * The registry was unreachable, failing (5xx) or throttling (429) through every retry. `retryAfterMs`
 * in the data, when the registry said, tells the queue how long to wait before the next try.
 */
export class RegistryUnavailableError extends TransientError {
  readonly retryAfterMs: number | undefined;

  constructor(message: string, data: RegistryErrorData & { retryAfterMs?: number }, cause?: unknown) {
    super(message, { data, cause });
    this.retryAfterMs = data.retryAfterMs;
  }
}

/**
 * An ImageRepository's way into its registry is misconfigured: a secretRef to a Secret of the wrong
 * type or without an entry for the host, a provider that does not match the host or is unsupported.
 */
export class RegistryAccessError extends TerminalError {
  constructor(message: string, data: Record<string, unknown>, cause?: unknown) {
    super(message, { data, cause });
  }
}
