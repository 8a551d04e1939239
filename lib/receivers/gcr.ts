/**
 * `gcr` (and ferry's `artifactregistry`): Container Registry and Artifact Registry notifications,
 * delivered by a Pub/Sub push subscription with authentication on. Pub/Sub then sends
 * `Authorization: Bearer <Google-signed OIDC token>`; it is verified before the body is read: RS256
 * signature against Google's published keys, issuer `accounts.google.com`, expiry, the audience
 * configured on the subscription and the service account it signs as, with a verified email.
 * The audience and the email come from the Receiver's Secret (`audience`, `email`), the keys Flux
 * reads. Flux still treats them as optional and announces them as required; ferry requires them
 * now, because any Google account can mint a Google-signed token and only those two claims say
 * the subscription sent it. The message's `data` is base64 JSON: `{action, tag, digest}`, where
 * `INSERT` with a `tag` is a push.
 */
import type { JWTPayload, JWTVerifyGetKey } from 'jose';
import { createRemoteJWKSet, errors, jwtVerify } from 'jose';
import * as z from 'zod';
import type { ImageReference } from '../registry/image-name.ts';
import { parseImageReference } from '../registry/image-name.ts';
import { bodyText, parseJson, parseJsonBody, parsePayload } from './payload.ts';
import type { ReceiverHandler, ReceiverRequest } from './receiver-handler.ts';
import { ReceiverAuthError, ReceiverPayloadError } from './receiver-handler.ts';
import { receiverSecretValue } from './receiver-secret.ts';
import { registryOutcome } from './registry-outcome.ts';

const SENDER = 'gcr';

export const GOOGLE_JWKS_URL = 'https://www.googleapis.com/oauth2/v3/certs';
const GOOGLE_ISSUERS = ['https://accounts.google.com', 'accounts.google.com'];

/** A token that fails one of these is not from the subscription; other failures (the key set could not be fetched) are retried. */
const REJECTED = new Set<string>([
  errors.JWTExpired.code,
  errors.JWTClaimValidationFailed.code,
  errors.JWTInvalid.code,
  errors.JWSInvalid.code,
  errors.JWSSignatureVerificationFailed.code,
  errors.JWKSNoMatchingKey.code,
  errors.JWKSMultipleMatchingKeys.code,
  errors.JOSEAlgNotAllowed.code,
  errors.JOSENotSupported.code,
]);

export interface GcrReceiverOptions {
  /** Google's signing keys; a local key set in tests, where Google cannot be reached. */
  keys?: JWTVerifyGetKey;
  /** The clock tokens are checked against. */
  now?: () => Date;
}

const pushSchema = z.object({
  message: z.object({
    data: z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'expected base64'),
    messageId: z.string().nullish(),
    message_id: z.string().nullish(),
  }),
});

const notificationSchema = z.object({
  action: z.string(),
  tag: z.string().nullish(),
  digest: z.string().nullish(),
});

export function createGcrReceiver(options: GcrReceiverOptions = {}): ReceiverHandler {
  const keys = options.keys ?? createRemoteJWKSet(new URL(GOOGLE_JWKS_URL));
  return async (request) => {
    await verifyGoogleToken(request, keys, options.now?.());
    const { message } = parseJsonBody(pushSchema, request.body, SENDER);
    const deliveryId = message.messageId ?? message.message_id ?? undefined;
    const data = bodyText(Buffer.from(message.data, 'base64'), SENDER);
    const { action, tag, digest } = parsePayload(notificationSchema, parseJson(data, SENDER), SENDER);
    const ignore = (what: string) => registryOutcome(SENDER, { hints: [], ignored: [what] }, deliveryId);
    if (action !== 'INSERT') return ignore(`${action} of ${tag ?? digest ?? 'an image'}`);
    const reference = tag ? imageReference(tag) : undefined;
    if (!reference?.tag) return ignore(`untagged push of ${digest ?? tag ?? 'an image'}`);
    const pushedDigest = digest ? imageReference(digest).digest : undefined;
    const hint = {
      image: reference.canonical,
      tag: reference.tag,
      ...(pushedDigest ? { digest: pushedDigest } : {}),
    };
    return registryOutcome(SENDER, { hints: [hint], ignored: [] }, deliveryId);
  };
}

/** The handler registered for `gcr`, against Google's published keys (fetched on first use, then cached). */
export const gcrReceiver: ReceiverHandler = createGcrReceiver();

async function verifyGoogleToken(request: ReceiverRequest, keys: JWTVerifyGetKey, now?: Date): Promise<void> {
  const audience = receiverSecretValue(request, 'audience');
  const email = receiverSecretValue(request, 'email');
  if (!audience || !email) {
    throw new ReceiverAuthError(
      `${SENDER}: the Receiver's Secret needs "audience" and "email" to verify Google tokens`,
      {
        data: { sender: SENDER, secret: request.receiver.spec.secretRef.name },
      },
    );
  }
  const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.get('authorization')?.trim() ?? '');
  if (!bearer) throw new ReceiverAuthError(`${SENDER}: no bearer token`, { data: { sender: SENDER } });
  let claims: JWTPayload;
  try {
    ({ payload: claims } = await jwtVerify(bearer[1]!, keys, {
      issuer: GOOGLE_ISSUERS,
      audience,
      algorithms: ['RS256'],
      clockTolerance: 30,
      ...(now ? { currentDate: now } : {}),
    }));
  } catch (error) {
    if (error instanceof errors.JOSEError && REJECTED.has(error.code)) {
      throw new ReceiverAuthError(`${SENDER}: ${error.message}`, { cause: error, data: { sender: SENDER } });
    }
    throw error;
  }
  if (claims.email !== email) {
    throw new ReceiverAuthError(`${SENDER}: the token is not for the Secret's service account`, {
      data: { sender: SENDER },
    });
  }
  if (claims.email_verified !== true) {
    throw new ReceiverAuthError(`${SENDER}: the token's email is not verified`, { data: { sender: SENDER } });
  }
}

function imageReference(value: string): ImageReference {
  try {
    return parseImageReference(value);
  } catch (error) {
    throw new ReceiverPayloadError(`${SENDER}: the notification names an invalid image`, {
      cause: error,
      data: { sender: SENDER },
    });
  }
}
