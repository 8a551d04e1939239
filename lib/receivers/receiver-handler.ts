/**
 * What each sender's module provides: verify the request on its raw bytes, then turn it into the
 * jobs it asks for. The HTTP layer finds the Receiver, caps the body and enqueues; a handler does
 * no I/O of its own, which keeps every sender testable on recorded payloads.
 */
import type { ConfigSet, Receiver } from '../config/index.ts';
import { TerminalError } from '../errors.ts';
import type { Job } from '../jobs/job.ts';

export interface ReceiverRequest {
  receiver: Receiver;
  /** The Secret's token: the HMAC key for senders that sign. */
  token: string;
  headers: Headers;
  /** The body exactly as received; signatures are checked on these bytes, before any parsing. */
  body: Uint8Array;
  config: ConfigSet;
}

export interface ReceiverOutcome {
  jobs: Job[];
  /** A short human answer for the sender's delivery log. */
  message: string;
  /** The sender's delivery id, when it has one: a redelivery then dedupes against the first. */
  deliveryId?: string;
}

export type ReceiverHandler = (request: ReceiverRequest) => ReceiverOutcome | Promise<ReceiverOutcome>;

/** The request is not from who it claims (bad or missing signature or token): 401. */
export class ReceiverAuthError extends TerminalError {}

/** The request is authentic but not something ferry can act on (malformed payload): 400. */
export class ReceiverPayloadError extends TerminalError {}
