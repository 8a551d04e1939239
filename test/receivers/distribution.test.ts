import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { distributionReceiver, ReceiverAuthError, ReceiverPayloadError } from '../../lib/receivers/index.ts';
import { waitFor } from '../support/ports.ts';
import { MANIFEST_ACCEPT, type Registry, startRegistry } from '../support/registry.ts';
import { receiverFixture, run, scans, TOKEN } from './receiver-fixture.ts';

/** A notification exactly as the registry sent it: the raw body and the headers. */
interface Delivery {
  body: Buffer;
  headers: Record<string, string>;
  events: { id: string; action: string; target: { repository: string; tag?: string; mediaType: string } }[];
}

const fixture = receiverFixture('distribution');
const deliveries: Delivery[] = [];
let listener: Server;
let registry: Registry;

const deliveredFor = (repository: string) =>
  deliveries.filter((d) => d.events.some((e) => e.target.repository === repository));
const requestOf = (d: Delivery, headers: Record<string, string> = d.headers) =>
  fixture.request(d.body, headers);

async function delivered(what: string, match: (e: Delivery['events'][number]) => boolean): Promise<Delivery> {
  const find = () => deliveries.find((d) => d.events.some(match));
  await waitFor(what, async () => find() !== undefined, 10_000);
  return find()!;
}

beforeAll(async () => {
  listener = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const headers = Object.fromEntries(
        Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]),
      );
      deliveries.push({ body, headers, events: JSON.parse(body.toString('utf8')).events });
      res.end();
    });
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  registry = await startRegistry({
    deleteEnabled: true,
    notifications: {
      url: `http://127.0.0.1:${(listener.address() as AddressInfo).port}/events`,
      headers: { Authorization: [`Bearer ${TOKEN}`] },
    },
  });
});

afterAll(async () => {
  await registry?.close();
  listener?.closeAllConnections();
  await new Promise((resolve) => listener?.close(resolve));
});

describe('distribution receiver, on the registry’s own notifications', () => {
  it('turns the push of a tagged manifest into one scan of host/repository:tag', async () => {
    const pushed = await registry.pushImage('team/app', '1.2.3');
    await delivered(
      'the manifest push',
      (e) => e.target.repository === 'team/app' && e.target.tag === '1.2.3',
    );
    const outcomes = await Promise.all(
      deliveredFor('team/app').map((d) => run(distributionReceiver, requestOf(d))),
    );
    expect(outcomes.flatMap(scans)).toEqual([`${registry.host}/team/app:1.2.3`]);
    const manifest = outcomes.find((o) => o.jobs.length > 0)!;
    expect(manifest.message).toBe(`scan requested for ${registry.host}/team/app:1.2.3`);
    const [event] = deliveries.flatMap((d) => d.events).filter((e) => e.target.tag === '1.2.3');
    expect(event).toMatchObject({ target: { digest: pushed.digest } });
  });

  it('answers layer pushes with zero jobs, saying what it ignored', async () => {
    await registry.pushImage('team/layers', '1.0.0');
    await delivered(
      'the manifest push',
      (e) => e.target.repository === 'team/layers' && e.target.tag === '1.0.0',
    );
    const blobs = deliveredFor('team/layers').filter((d) =>
      d.events.every((e) => e.target.tag === undefined),
    );
    expect(blobs.length).toBeGreaterThan(0);
    for (const delivery of blobs) {
      const outcome = await run(distributionReceiver, requestOf(delivery));
      expect(outcome.jobs).toEqual([]);
      expect(outcome.message).toMatch(/^nothing to scan: ignored blob push to team\/layers/);
    }
  });

  it('scans an index by its tag and ignores its platform manifests, pushed by digest', async () => {
    await registry.pushImage('team/multi', '2.0.0', { index: true });
    await delivered(
      'the index push',
      (e) => e.target.repository === 'team/multi' && e.target.tag === '2.0.0',
    );
    const outcomes = await Promise.all(
      deliveredFor('team/multi').map((d) => run(distributionReceiver, requestOf(d))),
    );
    expect(outcomes.flatMap(scans)).toEqual([`${registry.host}/team/multi:2.0.0`]);
    expect(outcomes.map((o) => o.message).join('\n')).toContain('untagged manifest push to team/multi');
  });

  it('answers pulls and deletes with zero jobs', async () => {
    const pushed = await registry.pushImage('team/gone', '0.1.0');
    const pull = await fetch(`${registry.url}/v2/team/gone/manifests/0.1.0`, {
      headers: { Accept: MANIFEST_ACCEPT },
    });
    expect(pull.status).toBe(200);
    await registry.deleteManifest('team/gone', pushed.digest);
    for (const action of ['pull', 'delete']) {
      const delivery = await delivered(
        `a ${action}`,
        (e) => e.action === action && e.target.repository === 'team/gone',
      );
      const outcome = await run(distributionReceiver, requestOf(delivery));
      expect(outcome.jobs).toEqual([]);
      expect(outcome.message).toContain(`ignored ${action} of team/gone`);
    }
  });

  it('names the delivery by its event ids, so that a redelivery is deduplicated', async () => {
    const delivery = await delivered('a tagged push', (e) => e.target.tag === '1.2.3');
    const first = await run(distributionReceiver, requestOf(delivery));
    const again = await run(distributionReceiver, requestOf(delivery));
    expect(first.deliveryId).toBe(delivery.events.map((e) => e.id).join(','));
    expect(again.deliveryId).toBe(first.deliveryId);
  });

  it('accepts both envelope media types and the token without Bearer', async () => {
    const delivery = await delivered('a tagged push', (e) => e.target.tag === '1.2.3');
    expect(delivery.headers['content-type']).toBe('application/vnd.docker.distribution.events.v1+json');
    const v2 = { ...delivery.headers, 'content-type': 'application/vnd.docker.distribution.events.v2+json' };
    expect(scans(await run(distributionReceiver, requestOf(delivery, v2)))).toHaveLength(1);
    const bare = { ...delivery.headers, authorization: TOKEN };
    expect(scans(await run(distributionReceiver, requestOf(delivery, bare)))).toHaveLength(1);
  });

  it('refuses a missing or wrong token before reading the body', async () => {
    const delivery = await delivered('a tagged push', (e) => e.target.tag === '1.2.3');
    const { authorization: _, ...unsigned } = delivery.headers;
    const wrong = { ...delivery.headers, authorization: 'Bearer not-the-token' };
    await expect(run(distributionReceiver, requestOf(delivery, unsigned))).rejects.toThrow(ReceiverAuthError);
    await expect(run(distributionReceiver, requestOf(delivery, wrong))).rejects.toThrow(ReceiverAuthError);
    const garbage = fixture.request('{not json', wrong);
    await expect(run(distributionReceiver, garbage)).rejects.toThrow(ReceiverAuthError);
  });

  it('refuses an authentic body that is not an envelope with 400s', async () => {
    const delivery = await delivered('a tagged push', (e) => e.target.tag === '1.2.3');
    const cases = [
      fixture.request('{not json', delivery.headers),
      fixture.request('{"events":[{"action":"push"}]}', delivery.headers),
      fixture.request(new Uint8Array([0xff, 0xfe]), delivery.headers),
      requestOf(delivery, { ...delivery.headers, 'content-type': 'text/plain' }),
    ];
    for (const request of cases)
      await expect(run(distributionReceiver, request)).rejects.toThrow(ReceiverPayloadError);
  });
});
