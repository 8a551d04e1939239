/**
 * Settings a sender needs besides the token live in the Receiver's Secret, next to it: the header
 * an ACR or EventBridge destination sends the token in, the audience and service account of a
 * Google push subscription, the host a Nexus docker repository is served on. The loader has
 * already checked that the Secret exists.
 */
import type { ReceiverRequest } from './receiver-handler.ts';

/** A key of the Receiver's Secret other than `token`, or undefined when it is absent or empty. */
export function receiverSecretValue(
  request: Pick<ReceiverRequest, 'receiver' | 'config'>,
  key: string,
): string | undefined {
  const { receiver, config } = request;
  const values = config.secretValues(receiver.metadata.namespace, receiver.spec.secretRef.name);
  const value = values[key]?.trim();
  return value === undefined || value === '' ? undefined : value;
}
