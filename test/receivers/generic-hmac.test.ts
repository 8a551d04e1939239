import { describe, expect, it } from 'vitest';
import { genericHmacReceiver, genericReceiver, ReceiverAuthError } from '../../lib/receivers/index.ts';
import { hmacHex, receiverFixture, run, tamper } from './receiver-fixture.ts';

// Signed as Flux's Receiver documentation shows ("Generic HMAC": `X-Signature: <hash>=<hex>`,
// the HMAC of the body with the token, openssl dgst -hmac).
const BODY = '{"ref":"refs/heads/main","source":"ci"}';
const fixture = receiverFixture('generic-hmac');

describe('generic-hmac receiver', () => {
  it.each(['sha1', 'sha256', 'sha384', 'sha512'])(
    'verifies a %s signature, then reconciles the resources exactly as generic does',
    async (algorithm) => {
      const request = fixture.request(BODY, { 'X-Signature': `${algorithm}=${hmacHex(algorithm, BODY)}` });
      const outcome = await run(genericHmacReceiver, request);
      expect(outcome).toEqual(await run(genericReceiver, request));
      expect(outcome.jobs).toEqual([{ kind: 'scan-image', image: 'registry.example.com/team/app' }]);
    },
  );

  it('signs any body, JSON or not, since it never reads it', async () => {
    const body = 'not json at all';
    const request = fixture.request(body, { 'X-Signature': `sha256=${hmacHex('sha256', body)}` });
    expect((await run(genericHmacReceiver, request)).jobs).toHaveLength(1);
  });

  it.each([
    ['no signature', {}],
    ['a signature without algorithm', { 'X-Signature': hmacHex('sha256', BODY) }],
    ['an algorithm Flux does not know', { 'X-Signature': `md5=${hmacHex('md5', BODY)}` }],
    ['a signature with another key', { 'X-Signature': `sha256=${hmacHex('sha256', BODY, 'other')}` }],
  ])('refuses %s', async (_label, headers) => {
    await expect(run(genericHmacReceiver, fixture.request(BODY, headers))).rejects.toThrow(ReceiverAuthError);
  });

  it('refuses a tampered body', async () => {
    const request = fixture.request(tamper(BODY), { 'X-Signature': `sha256=${hmacHex('sha256', BODY)}` });
    await expect(run(genericHmacReceiver, request)).rejects.toThrow(/does not match/);
  });
});
