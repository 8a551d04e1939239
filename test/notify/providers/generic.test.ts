/**
 * The generic and generic-hmac providers against a local HTTP server standing in for a webhook
 * receiver (a third-party service we cannot run here).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { deliver } from '../../../lib/notify/deliver.ts';
import { ReceiverStandin } from '../../support/notify-standins.ts';
import { endpoint, NOW, notification, now } from './fixtures.ts';

describe('generic provider', () => {
  let receiver: ReceiverStandin;
  beforeAll(async () => {
    receiver = await ReceiverStandin.start();
  });
  afterAll(() => receiver.close());
  beforeEach(() => {
    receiver.requests.length = 0;
  });

  it('posts the event JSON as Flux shapes it, with Gotk-Component and the Secret headers', async () => {
    const n = notification({ metadata: { revision: 'main@sha1:abc', summary: 'prod' } });
    const receipt = await deliver(
      endpoint('generic', `${receiver.origin}/hooks/flux?team=a`, { headers: { 'X-Team': 'platform' } }),
      n,
      { now },
    );
    expect(receipt).toEqual({
      outcome: 'sent',
      provider: 'Provider/flux-system/generic',
      type: 'generic',
      host: new URL(receiver.origin).host,
      status: 200,
    });
    const [req] = receiver.requests;
    expect(req?.method).toBe('POST');
    expect(req?.path).toBe('/hooks/flux?team=a');
    expect(req?.headers['gotk-component']).toBe('ferry');
    expect(req?.headers['x-team']).toBe('platform');
    expect(req?.headers['content-type']).toMatch(/^application\/json/);
    expect(req?.headers['x-signature']).toBeUndefined();
    expect(req?.body).toBe(
      JSON.stringify({
        involvedObject: { kind: 'Kustomization', name: 'apps', namespace: 'flux-system' },
        severity: 'info',
        timestamp: NOW.toISOString(),
        message: 'Applied revision: main@sha1:731f7ead',
        reason: 'ReconciliationSucceeded',
        metadata: { revision: 'main@sha1:abc', summary: 'prod' },
        reportingController: 'ferry',
      }),
    );
  });

  it("puts an Alert's rendered template in place of the message", async () => {
    await deliver(endpoint('generic', receiver.origin), notification({}, 'apps is up to date'), { now });
    expect(receiver.requests[0]?.json()).toMatchObject({
      message: 'apps is up to date',
      reason: 'ReconciliationSucceeded',
    });
  });

  it('lets a Secret header replace a default one, whatever its case', async () => {
    await deliver(
      endpoint('generic', receiver.origin, { headers: { 'gotk-component': 'cluster-a' } }),
      notification(),
      {
        now,
      },
    );
    expect(receiver.requests[0]?.headers['gotk-component']).toBe('cluster-a');
  });
});

describe('generic-hmac provider', () => {
  let receiver: ReceiverStandin;
  beforeAll(async () => {
    receiver = await ReceiverStandin.start();
  });
  afterAll(() => receiver.close());

  it('signs the exact body bytes with HMAC-SHA256 of the token, as X-Signature: sha256=<hex>', async () => {
    const token = 's3cr3t-hmac-key';
    // Non-ASCII text: the signature must cover UTF-8 bytes, not UTF-16 units.
    const n = notification({ message: 'déployé ✓ — 🚀' });
    await deliver(endpoint('generic-hmac', receiver.origin, { token }), n, { now });
    const req = receiver.requests[0];
    const header = String(req?.headers['x-signature']);
    expect(header).toMatch(/^sha256=[0-9a-f]{64}$/);
    const expected = createHmac('sha256', token)
      .update(Buffer.from(req?.body ?? '', 'utf8'))
      .digest();
    expect(timingSafeEqual(Buffer.from(header.slice('sha256='.length), 'hex'), expected)).toBe(true);
    expect(req?.headers['gotk-component']).toBe('ferry');
  });

  it('refuses to send unsigned when the token is missing', async () => {
    await expect(
      deliver(endpoint('generic-hmac', receiver.origin), notification(), { now }),
    ).rejects.toMatchObject({
      name: 'ProviderConfigError',
      failure: 'terminal',
    });
  });
});
