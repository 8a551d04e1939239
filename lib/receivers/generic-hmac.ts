/**
 * `generic-hmac`: the generic receiver with a signature. `X-Signature: <algorithm>=<hex>` must be
 * the HMAC of the raw body keyed with the Receiver's token; Flux accepts `sha1`, `sha256` and
 * `sha512`, ferry also `sha384`. Once verified, the request does exactly what `generic` does:
 * reconcile the Receiver's resources.
 */
import { genericReceiver } from './generic.ts';
import type { ReceiverHandler } from './receiver-handler.ts';
import { verifyPrefixedHmac } from './verify.ts';

export const genericHmacReceiver: ReceiverHandler = (request) => {
  const { body, token, headers } = request;
  verifyPrefixedHmac(
    body,
    token,
    headers.get('x-signature'),
    ['sha1', 'sha256', 'sha384', 'sha512'],
    'generic-hmac',
  );
  return genericReceiver(request);
};
