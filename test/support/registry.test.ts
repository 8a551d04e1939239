import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOciImage, OCI_INDEX, OCI_MANIFEST } from './oci-image.ts';
import { waitFor } from './ports.ts';
import type { Registry } from './registry.ts';
import { RegistryStartError, startRegistry } from './registry.ts';

type Envelope = {
  events: {
    action: string;
    target: { mediaType: string; repository: string; tag?: string; digest: string; size: number };
  }[];
};
type Delivery = { contentType: string | undefined; authorization: string | undefined; envelope: Envelope };

let listener: Server;
let listenerUrl: string;
const deliveries: Delivery[] = [];
let registry: Registry;

beforeAll(async () => {
  listener = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      deliveries.push({
        contentType: req.headers['content-type'],
        authorization: req.headers.authorization,
        envelope: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Envelope,
      });
      res.end();
    });
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  listenerUrl = `http://127.0.0.1:${(listener.address() as AddressInfo).port}/events`;
  registry = await startRegistry({
    deleteEnabled: true,
    notifications: {
      url: listenerUrl,
      headers: { Authorization: ['Bearer hook-token'] },
      ignoredMediaTypes: ['application/octet-stream'],
      ignore: { actions: ['pull'] },
    },
  });
});

afterAll(async () => {
  await registry?.close();
  listener.closeAllConnections();
  await new Promise((resolve) => listener.close(resolve));
});

describe('registry', () => {
  it('lists pushed tags through the HTTP API', async () => {
    await registry.pushImage('team/app', '1.0.0');
    await registry.pushImage('team/app', '1.1.0');
    const res = await fetch(`${registry.url}/v2/team/app/tags/list`);
    const body = (await res.json()) as { name: string; tags: string[] };
    expect(body.name).toBe('team/app');
    expect(body.tags.sort()).toEqual(['1.0.0', '1.1.0']);
    expect(await registry.tags('team/app')).toEqual(['1.0.0', '1.1.0']);
    expect(await registry.tags('team/unknown')).toEqual([]);
  });

  it('gives the same digest for the same seed and another for another seed', async () => {
    const first = await registry.pushImage('stable', 'a', { seed: 'same' });
    const again = await registry.pushImage('stable', 'b', { seed: 'same' });
    const other = await registry.pushImage('stable', 'c', { seed: 'other' });
    expect(again.digest).toBe(first.digest);
    expect(other.digest).not.toBe(first.digest);
    // The registry stores the manifest as built, so the digest is known before any push.
    expect(first.digest).toBe(buildOciImage('same').descriptor.digest);
    expect(await registry.manifest('stable', 'b')).toEqual({ digest: first.digest, mediaType: OCI_MANIFEST });
  });

  it('pushes an image index whose platform manifests resolve by digest', async () => {
    const pushed = await registry.pushImage('multi', 'v1', { index: true });
    expect(pushed.mediaType).toBe(OCI_INDEX);
    expect(pushed.manifests?.map((m) => m.platform?.architecture)).toEqual(['amd64', 'arm64']);
    const head = await fetch(`${registry.url}/v2/multi/manifests/v1`, {
      method: 'HEAD',
      headers: { Accept: `${OCI_INDEX}, ${OCI_MANIFEST}` },
    });
    expect(head.headers.get('content-type')).toBe(OCI_INDEX);
    expect(head.headers.get('docker-content-digest')).toBe(pushed.digest);
    for (const platform of pushed.manifests ?? []) {
      expect(await registry.manifest('multi', platform.digest)).toEqual({
        digest: platform.digest,
        mediaType: OCI_MANIFEST,
      });
    }
  });

  it('notifies the configured endpoint of a push with repository, tag and digest', async () => {
    const pushed = await registry.pushImage('notify/me', '2.0.0');
    const pushOf = () =>
      deliveries.flatMap((d) => d.envelope.events).find((e) => e.target.repository === 'notify/me');
    await waitFor('a push event for notify/me', async () => pushOf() !== undefined, 10_000);
    expect(pushOf()).toMatchObject({
      action: 'push',
      target: { mediaType: OCI_MANIFEST, repository: 'notify/me', tag: '2.0.0', digest: pushed.digest },
    });
    const delivery = deliveries.find((d) =>
      d.envelope.events.some((e) => e.target.repository === 'notify/me'),
    );
    expect(delivery?.contentType).toBe('application/vnd.docker.distribution.events.v1+json');
    expect(delivery?.authorization).toBe('Bearer hook-token');
    // Blob pushes and pulls were configured away: only manifest pushes arrive.
    const kinds = new Set(
      deliveries.flatMap((d) => d.envelope.events.map((e) => `${e.action} ${e.target.mediaType}`)),
    );
    expect([...kinds].every((kind) => kind.startsWith('push application/vnd.oci.image.'))).toBe(true);
  });

  it('pushes twenty tags quickly, reusing what the registry already has', async () => {
    const tags = Array.from({ length: 20 }, (_, i) => `0.0.${i}`);
    for (const tag of tags) await registry.pushImage('many', tag, { seed: tag === '0.0.0' ? 'x' : tag });
    expect(await registry.tags('many')).toEqual([...tags].sort());
  });

  it('deletes a single tag, or a manifest with all its tags', async () => {
    const kept = await registry.pushImage('gone', 'keep', { seed: 'shared' });
    await registry.pushImage('gone', 'also', { seed: 'shared' });
    await registry.pushImage('gone', 'drop');
    await registry.deleteTag('gone', 'drop');
    expect(await registry.tags('gone')).toEqual(['also', 'keep']);
    expect(await registry.manifest('gone', 'drop')).toBeUndefined();
    await registry.deleteManifest('gone', kept.digest);
    expect(await registry.manifest('gone', kept.digest)).toBeUndefined();
  });
});

describe('registry startup', () => {
  it('fails with the registry output when the process cannot start', async () => {
    const started = startRegistry({ notifications: { url: listenerUrl, timeout: 'not-a-duration' } });
    await expect(started).rejects.toBeInstanceOf(RegistryStartError);
    await expect(started).rejects.toThrow(/during startup[\s\S]*registry output[\s\S]*time.Duration/);
  });
});
