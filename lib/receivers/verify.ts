/**
 * The comparisons every sender's check comes down to: a token presented in a header, or an HMAC
 * of the raw body. Both are made in constant time, on bytes, before anything is parsed: a forged
 * request learns nothing from how long it took to be refused, and a crafted body is never read.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { ReceiverAuthError } from './receiver-handler.ts';

export type HmacAlgorithm = 'sha1' | 'sha256' | 'sha384' | 'sha512';

const HEX_LENGTH: Record<HmacAlgorithm, number> = { sha1: 40, sha256: 64, sha384: 96, sha512: 128 };

/**
 * Whether a presented secret equals the expected one. Both are hashed to 32 bytes first, so that
 * `timingSafeEqual` always compares equal-length buffers and the expected length leaks nothing.
 */
export function secretsEqual(presented: string | Uint8Array, expected: string | Uint8Array): boolean {
  return timingSafeEqual(sha256(presented), sha256(expected));
}

export interface HeaderTokenOptions {
  /** The header that carries the token; `authorization` unless the sender is configured otherwise. */
  header?: string;
}

/**
 * Requires the header to carry the Receiver's token, bare or as `Bearer <token>`: senders differ
 * in which they send (Harbor's "Auth Header" is sent as typed, a registry's endpoint headers too).
 */
export function verifyHeaderToken(
  headers: Headers,
  token: string,
  sender: string,
  options: HeaderTokenOptions = {},
): void {
  const header = (options.header ?? 'authorization').toLowerCase();
  const value = headers.get(header)?.trim() ?? '';
  if (value === '')
    throw new ReceiverAuthError(`${sender}: no ${header} header`, { data: { sender, header } });
  const bearer = /^bearer\s+/i.exec(value);
  const presented = bearer ? value.slice(bearer[0].length) : value;
  const equal = secretsEqual(presented, token) || secretsEqual(value, token);
  if (!equal) {
    throw new ReceiverAuthError(`${sender}: the ${header} header does not carry the Receiver's token`, {
      data: { sender, header },
    });
  }
}

/** Requires `presentedHex` to be the hex HMAC of the raw body keyed with the token. */
export function verifyHexHmac(
  body: Uint8Array,
  token: string,
  presentedHex: string | null,
  algorithm: HmacAlgorithm,
  sender: string,
): void {
  const presented = presentedHex?.trim().toLowerCase() ?? '';
  if (presented === '')
    throw new ReceiverAuthError(`${sender}: the request is not signed`, { data: { sender } });
  if (presented.length !== HEX_LENGTH[algorithm] || !/^[0-9a-f]+$/.test(presented)) {
    throw new ReceiverAuthError(`${sender}: the signature is not a hex ${algorithm} HMAC`, {
      data: { sender, algorithm },
    });
  }
  const expected = createHmac(algorithm, token).update(body).digest('hex');
  if (!secretsEqual(presented, expected)) {
    throw new ReceiverAuthError(`${sender}: the signature does not match the body`, {
      data: { sender, algorithm },
    });
  }
}

/**
 * Requires a `<algorithm>=<hex>` signature (GitHub's `X-Hub-Signature-256`, generic-hmac's
 * `X-Signature`) made with one of the allowed algorithms; returns the algorithm used.
 */
export function verifyPrefixedHmac(
  body: Uint8Array,
  token: string,
  signature: string | null,
  allowed: readonly HmacAlgorithm[],
  sender: string,
): HmacAlgorithm {
  const value = signature?.trim() ?? '';
  if (value === '') throw new ReceiverAuthError(`${sender}: the request is not signed`, { data: { sender } });
  const separator = value.indexOf('=');
  const prefix = value.slice(0, Math.max(separator, 0)).toLowerCase();
  const algorithm = allowed.find((a) => a === prefix);
  if (algorithm === undefined) {
    throw new ReceiverAuthError(`${sender}: the signature is not of the form <${allowed.join('|')}>=<hex>`, {
      data: { sender },
    });
  }
  verifyHexHmac(body, token, value.slice(separator + 1), algorithm, sender);
  return algorithm;
}

function sha256(value: string | Uint8Array): Buffer {
  return createHash('sha256').update(value).digest();
}
