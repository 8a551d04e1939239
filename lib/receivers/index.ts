import { genericReceiver } from './generic.ts';
import type { ReceiverHandler } from './receiver-handler.ts';

export type { ImageHint } from './image-hints.ts';
export { scanJobsForHints } from './image-hints.ts';
export type { ReceiverHandler, ReceiverOutcome, ReceiverRequest } from './receiver-handler.ts';
export { ReceiverAuthError, ReceiverPayloadError } from './receiver-handler.ts';
export type { IndexedReceiver } from './receiver-index.ts';
export { ReceiverIndex, receiverDigest, redactDigest } from './receiver-index.ts';
export { resolveResources } from './resources.ts';
export { genericReceiver };

/** The senders ferry verifies, by Receiver `spec.type`. */
export const RECEIVER_HANDLERS: Readonly<Record<string, ReceiverHandler>> = {
  generic: genericReceiver,
};
