/**
 * How deliver() reports what a receiver did, against local HTTP servers standing in for the
 * receivers (third-party services we cannot run here) and a small forward proxy.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FerryError } from '../../lib/errors.ts';
import { deliver } from '../../lib/notify/deliver.ts';
import {
  DeliveryFailedError,
  DeliveryRateLimitedError,
  DeliveryRejectedError,
} from '../../lib/notify/delivery-errors.ts';
import { ProviderConfigError } from '../../lib/notify/provider-config-error.ts';
import { captureLogs } from '../support/log-capture.ts';
import { answers, ForwardProxy, ReceiverStandin } from '../support/notify-standins.ts';
import { freePort } from '../support/ports.ts';
import { endpoint, notification, now } from './providers/fixtures.ts';

const SECRET_PATH = '/services/T0001/B0001/XXXXwebhookSECRETXXXX';
const TOKEN = 'xoxb-1111-2222-SECRETTOKEN';

async function failure(promise: Promise<unknown>): Promise<FerryError> {
  return (await promise.then(
    () => {
      throw new Error('expected the delivery to fail');
    },
    (e: unknown) => e,
  )) as FerryError;
}

describe('deliver', () => {
  let receiver: ReceiverStandin;
  let host: string;
  beforeAll(async () => {
    receiver = await ReceiverStandin.start();
    host = new URL(receiver.origin).host;
  });
  afterAll(() => receiver.close());
  beforeEach(() => {
    receiver.requests.length = 0;
  });

  it('reports a 5xx as a transient failure naming the Provider and host', async () => {
    receiver.script(answers.serverError(502));
    const error = await failure(
      deliver(endpoint('slack', `${receiver.origin}${SECRET_PATH}`), notification(), { now }),
    );
    expect(error).toBeInstanceOf(DeliveryFailedError);
    expect(error.failure).toBe('transient');
    expect(error.message).toBe(`Provider/flux-system/slack: delivery to ${host} failed: HTTP 502`);
    expect(error.data).toEqual({ provider: 'Provider/flux-system/slack', host, status: 502 });
  });

  it('gives up waiting after the Provider timeout, transiently', async () => {
    receiver.script(answers.slow(3000));
    const ep = endpoint('generic', `${receiver.origin}/hook`, { timeoutMs: 200 });
    const error = await failure(deliver(ep, notification(), { now }));
    expect(error).toBeInstanceOf(DeliveryFailedError);
    expect(error.message).toBe(
      `Provider/flux-system/generic: delivery to ${host} failed: no answer within 0.2s`,
    );
  });

  it('reports an unreachable receiver as a transient failure', async () => {
    const port = await freePort();
    const error = await failure(
      deliver(endpoint('discord', `http://127.0.0.1:${port}/x`), notification(), { now }),
    );
    expect(error).toBeInstanceOf(DeliveryFailedError);
    expect(error.message).toBe(
      `Provider/flux-system/discord: delivery to 127.0.0.1:${port} failed: ECONNREFUSED`,
    );
  });

  it('fails transiently while the receiver is down and delivers once it is back on its address', async () => {
    const flaky = await ReceiverStandin.start();
    const port = flaky.port;
    await flaky.close();
    const ep = endpoint('discord', `http://127.0.0.1:${port}/api/webhooks/1/t`);
    expect(await failure(deliver(ep, notification(), { now }))).toBeInstanceOf(DeliveryFailedError);
    const back = await ReceiverStandin.start(port);
    try {
      expect(await deliver(ep, notification(), { now })).toMatchObject({ outcome: 'sent', status: 200 });
      expect(back.requests).toHaveLength(1);
    } finally {
      await back.close();
    }
  });

  it("refuses terminally on a 400, carrying the receiver's answer cut to 500 characters", async () => {
    receiver.script(answers.badRequest(`invalid_payload ${'x'.repeat(1000)}`));
    const error = await failure(
      deliver(endpoint('msteams', `${receiver.origin}/wf`), notification(), { now }),
    );
    expect(error).toBeInstanceOf(DeliveryRejectedError);
    expect(error.failure).toBe('terminal');
    const answer = (error as DeliveryRejectedError).answer;
    expect(answer).toHaveLength(500);
    expect(answer).toMatch(/^invalid_payload x+… \[truncated\]$/);
    expect(error.message).toContain(`${host} rejected the notification (HTTP 400): invalid_payload`);
  });

  it('reads at most 1 MiB of an answer and stops there, even from a receiver whose answer never ends', async () => {
    // A receiver stand-in that answers 400 and then streams its body for ever.
    const endless = createServer((req, res) => {
      req.resume();
      res.writeHead(400, { 'content-type': 'text/plain' });
      const chunk = Buffer.alloc(64 * 1024, 'x');
      const pump = () => {
        while (!res.destroyed && res.write(chunk));
      };
      res.on('drain', pump);
      pump();
    });
    await new Promise<void>((resolve) => endless.listen(0, '127.0.0.1', resolve));
    const { port } = endless.address() as AddressInfo;
    try {
      const ep = endpoint('generic', `http://127.0.0.1:${port}/hook`, { timeoutMs: 2000 });
      const error = await failure(deliver(ep, notification(), { now }));
      expect(error).toBeInstanceOf(DeliveryRejectedError);
      expect((error as DeliveryRejectedError).answer).toMatch(/^x+… \[truncated\]$/);
      // The same through a proxy: the stand-in answers an absolute-URI request as a proxy would relay it.
      const proxied = endpoint('generic', 'http://receiver.invalid/hook', {
        timeoutMs: 2000,
        proxy: `http://127.0.0.1:${port}`,
      });
      expect(await failure(deliver(proxied, notification(), { now }))).toBeInstanceOf(DeliveryRejectedError);
    } finally {
      endless.closeAllConnections();
      await new Promise((resolve) => endless.close(resolve));
    }
  });

  it('does not follow a redirect: the webhook moved, and its headers stay here', async () => {
    receiver.script({ status: 301, headers: { location: 'http://elsewhere.test/' }, body: '' });
    const error = await failure(
      deliver(endpoint('slack', receiver.origin, { token: TOKEN, channel: 'c' }), notification(), { now }),
    );
    expect(error).toBeInstanceOf(DeliveryRejectedError);
    expect(error.data).toMatchObject({ status: 301 });
  });

  it('refuses an unsupported type terminally', async () => {
    const error = await failure(deliver(endpoint('rocket', receiver.origin), notification(), { now }));
    expect(error).toBeInstanceOf(ProviderConfigError);
    expect(error.message).toMatch(/"rocket" is not supported by ferry; supported types: slack, discord/);
  });

  it("cuts out the address's secret path segment, its query values and a Secret header's credentials echoed alone", async () => {
    const address = `${receiver.origin}${SECRET_PATH}?sig=QUERYSECRET0123`;
    receiver.script(
      answers.badRequest(
        'unknown webhook XXXXwebhookSECRETXXXX, signature QUERYSECRET0123, credentials HEADERSECRET0123',
      ),
    );
    const ep = endpoint('generic', address, { headers: { Authorization: 'Bearer HEADERSECRET0123' } });
    const error = await failure(deliver(ep, notification(), { now }));
    expect(error).toBeInstanceOf(DeliveryRejectedError);
    expect((error as DeliveryRejectedError).answer).toBe(
      'unknown webhook [redacted], signature [redacted], credentials [redacted]',
    );
    for (const secret of ['XXXXwebhookSECRETXXXX', 'QUERYSECRET0123', 'HEADERSECRET0123'])
      expect(error.message).not.toContain(secret);
  });

  it('never puts the webhook path, its query or a token in an error, its data, its cause or the log', async () => {
    const { log, text } = captureLogs();
    const address = `${receiver.origin}${SECRET_PATH}?sig=QUERYSECRET`;
    const port = await freePort();
    const cases: [string, () => Promise<unknown>][] = [
      [
        '400 echoing the request',
        () => {
          receiver.script(
            answers.badRequest(`bad request to ${address} with Bearer ${TOKEN} on ${SECRET_PATH}`),
          );
          return deliver(endpoint('slack', address, { token: TOKEN, channel: 'c' }), notification(), { now });
        },
      ],
      [
        'ok:false',
        () => {
          receiver.script(answers.json(200, { ok: false, error: `invalid_auth ${TOKEN}` }));
          return deliver(endpoint('slack', address, { token: TOKEN, channel: 'c' }), notification(), { now });
        },
      ],
      [
        '500',
        () => {
          receiver.script(answers.serverError());
          return deliver(endpoint('discord', address), notification(), { now });
        },
      ],
      [
        '401 echoing a Secret header',
        () => {
          receiver.script({ status: 401, body: `bad credentials: Basic HEADERSECRET` });
          return deliver(
            endpoint('generic', address, { headers: { Authorization: 'Basic HEADERSECRET' } }),
            notification(),
            {
              now,
            },
          );
        },
      ],
      [
        '429',
        () => {
          receiver.script(answers.discordRateLimited(2));
          return deliver(endpoint('discord', address), notification(), { now });
        },
      ],
      [
        'timeout',
        () => {
          receiver.script(answers.slow(2000));
          return deliver(
            endpoint('generic-hmac', address, { token: TOKEN, timeoutMs: 100 }),
            notification(),
            { now },
          );
        },
      ],
      [
        'refused',
        () =>
          deliver(
            endpoint('slack', `http://127.0.0.1:${port}${SECRET_PATH}`, { token: TOKEN, channel: 'c' }),
            notification(),
            { now },
          ),
      ],
      [
        'proxy refused',
        () =>
          deliver(
            endpoint('slack', address, { proxy: `http://user:PROXYSECRET@127.0.0.1:${port}` }),
            notification(),
            {
              now,
            },
          ),
      ],
    ];
    for (const [label, run] of cases) {
      const error = await failure(run());
      log.error({ err: error, data: error.data }, `delivery failed (${label})`);
      const shown = [error.message, JSON.stringify(error.data), String(error.cause), error.stack ?? ''].join(
        ' ',
      );
      for (const secret of [
        SECRET_PATH,
        'T0001/B0001',
        'QUERYSECRET',
        TOKEN,
        'PROXYSECRET',
        'HEADERSECRET',
      ]) {
        expect(shown, `${label}: ${secret}`).not.toContain(secret);
      }
    }
    const logged = text();
    expect(logged).toContain('delivery failed (400 echoing the request)');
    expect(logged).toContain('[redacted]');
    for (const secret of [SECRET_PATH, 'T0001/B0001', 'QUERYSECRET', TOKEN, 'PROXYSECRET', 'HEADERSECRET']) {
      expect(logged).not.toContain(secret);
    }
  });
});

describe('deliver through a proxy', () => {
  let receiver: ReceiverStandin;
  let proxy: ForwardProxy;
  beforeAll(async () => {
    receiver = await ReceiverStandin.start();
    proxy = await ForwardProxy.start();
  });
  afterAll(async () => {
    await proxy.close();
    await receiver.close();
  });

  it("sends through the Provider's proxy, with its credentials, and the receiver gets the same request", async () => {
    const proxyUrl = new URL(proxy.origin);
    proxyUrl.username = 'alerts';
    proxyUrl.password = 'pr0xy';
    const ep = endpoint('generic', `${receiver.origin}/via-proxy`, {
      proxy: proxyUrl.toString(),
      headers: { 'X-Id': '1' },
    });
    const receipt = await deliver(ep, notification(), { now });
    expect(receipt).toMatchObject({ outcome: 'sent', status: 200 });
    // A plain-http receiver is reached by an absolute-URI request to the proxy (https would CONNECT).
    expect(proxy.forwarded).toEqual([`${receiver.origin}/via-proxy`]);
    expect(proxy.connects).toEqual([]);
    expect(proxy.credentials).toEqual(['alerts:pr0xy']);
    expect(receiver.requests).toHaveLength(1);
    expect(receiver.requests[0]?.path).toBe('/via-proxy');
    expect(receiver.requests[0]?.headers['x-id']).toBe('1');
  });

  it('tunnels to an https receiver with CONNECT; a failed handshake is transient', async () => {
    // The stand-in speaks plain http, so the TLS handshake inside the tunnel fails: what matters here is
    // that the proxy was asked for a tunnel to the receiver's host, and how the failure is reported.
    const host = new URL(receiver.origin).host;
    const ep = endpoint('generic', `https://${host}/tls`, { proxy: proxy.origin, timeoutMs: 2000 });
    const error = await failure(deliver(ep, notification(), { now }));
    expect(proxy.connects).toEqual([host]);
    expect(error).toBeInstanceOf(DeliveryFailedError);
    expect(error.message).toMatch(new RegExp(`^Provider/flux-system/generic: delivery to ${host} failed: `));
  });

  it("goes through the proxy even when the caller passes Node's own fetch", async () => {
    const before = proxy.forwarded.length;
    const ep = endpoint('generic', `${receiver.origin}/node-fetch`, { proxy: proxy.origin });
    expect(await deliver(ep, notification(), { now, fetch: globalThis.fetch })).toMatchObject({
      outcome: 'sent',
    });
    expect(proxy.forwarded.slice(before)).toEqual([`${receiver.origin}/node-fetch`]);
  });

  it('goes direct without a proxy', async () => {
    const before = proxy.connects.length + proxy.forwarded.length;
    await deliver(endpoint('generic', `${receiver.origin}/direct`), notification(), { now });
    expect(proxy.connects.length + proxy.forwarded.length).toBe(before);
    expect(receiver.requests.at(-1)?.path).toBe('/direct');
  });

  it('reports a rate-limited answer that came through the proxy like any other', async () => {
    receiver.script(answers.slackRateLimited(3));
    const error = await failure(
      deliver(endpoint('slack', `${receiver.origin}/s`, { proxy: proxy.origin }), notification(), { now }),
    );
    expect(error).toBeInstanceOf(DeliveryRateLimitedError);
    expect((error as DeliveryRateLimitedError).retryAfterSeconds).toBe(3);
  });
});
