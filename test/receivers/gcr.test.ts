import type { JWTPayload } from 'jose';
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ReceiverHandler } from '../../lib/receivers/index.ts';
import { createGcrReceiver, ReceiverAuthError, ReceiverPayloadError } from '../../lib/receivers/index.ts';
import { receiverFixture, run, scans } from './receiver-fixture.ts';

// Google's key set (googleapis.com/oauth2/v3/certs) cannot be reached from the tests: a local RS256
// key pair stands in for it, published as a local JWKS, and signs tokens shaped as Pub/Sub's
// ("Authenticate push subscriptions": iss, aud, email, email_verified, exp, iat). The body is a
// Pub/Sub push message ("Receive messages from push subscriptions") wrapping an Artifact Registry
// notification ("Configuring Pub/Sub notifications": {action, digest, tag}).
const NOW = new Date('2026-03-01T12:00:00Z');
const SECONDS = Math.floor(NOW.getTime() / 1000);
const AUDIENCE = 'https://ferry.example.com/hook/gcr';
const EMAIL = 'pubsub-push@my-project.iam.gserviceaccount.com';
const IMAGE = 'us-east1-docker.pkg.dev/my-project/my-repo/hello-world';
const DIGEST = 'sha256:6ec128e26cd5181e3b3a3b3b3c3d3e3f40414243444546474849505152535455';

type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

let gcr: ReceiverHandler;
let sign: (claims: JWTPayload, key?: PrivateKey) => Promise<string>;
let strangerKey: PrivateKey;

beforeAll(async () => {
  const google = await generateKeyPair('RS256');
  const stranger = await generateKeyPair('RS256');
  strangerKey = stranger.privateKey;
  const jwk = { ...(await exportJWK(google.publicKey)), kid: 'google-1', alg: 'RS256', use: 'sig' };
  gcr = createGcrReceiver({ keys: createLocalJWKSet({ keys: [jwk] }), now: () => NOW });
  sign = (claims, key = google.privateKey) =>
    new SignJWT({ ...claims }).setProtectedHeader({ alg: 'RS256', kid: 'google-1', typ: 'JWT' }).sign(key);
});

const claims = (change: JWTPayload = {}): JWTPayload => ({
  iss: 'https://accounts.google.com',
  aud: AUDIENCE,
  azp: '113774264463038321964',
  sub: '113774264463038321964',
  email: EMAIL,
  email_verified: true,
  iat: SECONDS - 60,
  exp: SECONDS + 3540,
  ...change,
});

const pushMessage = (notification: object | string, id = '2070443601311540') =>
  JSON.stringify({
    message: {
      attributes: {},
      data: Buffer.from(
        typeof notification === 'string' ? notification : JSON.stringify(notification),
      ).toString('base64'),
      messageId: id,
      message_id: id,
      publishTime: '2026-03-01T11:59:59.749Z',
      publish_time: '2026-03-01T11:59:59.749Z',
    },
    subscription: 'projects/my-project/subscriptions/ferry',
  });
const INSERT = { action: 'INSERT', digest: `${IMAGE}@${DIGEST}`, tag: `${IMAGE}:1.1` };

const fixture = receiverFixture('gcr', { secret: { audience: AUDIENCE, email: EMAIL } });
const deliver = async (body: string, token?: string) =>
  fixture.request(body, token === undefined ? {} : { Authorization: `Bearer ${token}` });

describe('gcr receiver', () => {
  it('scans the pushed tag once the Google token is verified, named by the message id', async () => {
    const outcome = await run(gcr, await deliver(pushMessage(INSERT), await sign(claims())));
    expect(scans(outcome)).toEqual([`${IMAGE}:1.1`]);
    expect(outcome.deliveryId).toBe('2070443601311540');
  });

  it('accepts the issuer without scheme too', async () => {
    const token = await sign(claims({ iss: 'accounts.google.com' }));
    expect(scans(await run(gcr, await deliver(pushMessage(INSERT), token)))).toHaveLength(1);
  });

  it.each([
    ['a delete', { action: 'DELETE', tag: `${IMAGE}:1.1` }, `ignored DELETE of ${IMAGE}:1.1`],
    [
      'a push by digest',
      { action: 'INSERT', digest: `${IMAGE}@${DIGEST}` },
      `ignored untagged push of ${IMAGE}@${DIGEST}`,
    ],
  ])('answers %s with zero jobs', async (_label, notification, message) => {
    const outcome = await run(gcr, await deliver(pushMessage(notification), await sign(claims())));
    expect(outcome.jobs).toEqual([]);
    expect(outcome.message).toBe(`nothing to scan: ${message}`);
  });

  it.each([
    ['no token', async () => undefined, /no bearer token/],
    [
      'a token signed by another key',
      async () => sign(claims(), strangerKey),
      /signature verification failed/,
    ],
    [
      'an expired token',
      async () => sign(claims({ exp: SECONDS - 120 })),
      /"exp" claim timestamp check failed/,
    ],
    ['another audience', async () => sign(claims({ aud: 'https://elsewhere.example.com' })), /"aud" claim/],
    ['another issuer', async () => sign(claims({ iss: 'https://issuer.example.com' })), /"iss" claim/],
    [
      'another service account',
      async () => sign(claims({ email: 'someone@example.com' })),
      /not for the Secret's service account/,
    ],
    ['an unverified email', async () => sign(claims({ email_verified: false })), /not verified/],
    ['a token that is not a JWT', async () => 'not.a.jwt', /Invalid|JWS|JWT/],
  ])('refuses %s, before reading the body', async (_label, token, message) => {
    const request = await deliver('{"message": not json', await token());
    await expect(run(gcr, request)).rejects.toThrow(ReceiverAuthError);
    await expect(run(gcr, request)).rejects.toThrow(message);
  });

  it('lets a failure to fetch the key set through, to be retried, rather than calling it forged', async () => {
    const offline = createGcrReceiver({
      keys: async () => {
        throw new TypeError('fetch failed');
      },
      now: () => NOW,
    });
    const request = await deliver(pushMessage(INSERT), await sign(claims()));
    await expect(run(offline, request)).rejects.toThrow(TypeError);
  });

  it('refuses every request while the Secret lacks the audience or the email', async () => {
    const lax = receiverFixture('gcr', { secret: { audience: AUDIENCE } });
    const request = lax.request(pushMessage(INSERT), { Authorization: `Bearer ${await sign(claims())}` });
    await expect(run(gcr, request)).rejects.toThrow(/needs "audience" and "email"/);
  });

  it.each([
    ['a body that is not JSON', '{"message": not json'],
    ['data that is not base64', JSON.stringify({ message: { data: '%%%', messageId: '1' } })],
    ['data that is not JSON', pushMessage(`INSERT ${IMAGE}`)],
    ['a notification without action', pushMessage({ tag: `${IMAGE}:1.1` })],
    ['an invalid image', pushMessage({ action: 'INSERT', tag: 'Not A/Reference:1' })],
  ])('refuses %s from an authentic sender as malformed', async (_label, body) => {
    await expect(run(gcr, await deliver(body, await sign(claims())))).rejects.toThrow(ReceiverPayloadError);
  });
});
