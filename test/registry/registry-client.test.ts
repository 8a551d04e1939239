import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failureClassOf } from '../../lib/errors.ts';
import {
  DOCKER_MANIFEST,
  DOCKER_MANIFEST_LIST,
  type ImageIndex,
  type ImageManifest,
  OCI_INDEX,
  OCI_MANIFEST,
  parseImageName,
  RegistryClient,
  RegistryNotFoundError,
  RegistryUnavailableError,
} from '../../lib/registry/index.ts';
import { freePort } from '../support/ports.ts';
import type { PushedImage, Registry } from '../support/registry.ts';
import { startRegistry } from '../support/registry.ts';

let registry: Registry;
const pushed: Record<string, PushedImage> = {};
const client = new RegistryClient();
const plain = { insecure: true };
const image = (repository: string) => parseImageName(`${registry.host}/${repository}`);

beforeAll(async () => {
  registry = await startRegistry();
  for (const tag of ['1.0.0', '1.1.0', '2.0.0-rc.1', 'latest']) {
    pushed[`app:${tag}`] = await registry.pushImage('team/app', tag);
  }
  pushed['multi:1.0.0'] = await registry.pushImage('team/multi', '1.0.0', { index: true });
  pushed['docker:1.0.0'] = await registry.pushImage('team/docker', '1.0.0', { format: 'docker' });
  pushed['docker:list'] = await registry.pushImage('team/docker', 'list', { index: true, format: 'docker' });
});

afterAll(async () => {
  await registry?.close();
});

describe('listing tags from the registry', () => {
  it('returns every pushed tag and reports progress per page', async () => {
    const progress: number[] = [];
    const tags = await client.listTags(image('team/app'), { ...plain, onProgress: (n) => progress.push(n) });
    expect(tags.sort()).toEqual(['1.0.0', '1.1.0', '2.0.0-rc.1', 'latest']);
    expect(tags.sort()).toEqual(await registry.tags('team/app'));
    // This registry ignores `n` and sends every tag in one page.
    expect(progress).toEqual([4]);
  });

  it('fails terminally for a repository the registry does not know', async () => {
    const error = await client.listTags(image('team/nothing'), plain).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryNotFoundError);
    expect(failureClassOf(error)).toBe('terminal');
    expect((error as RegistryNotFoundError).data).toMatchObject({
      host: registry.host,
      repository: 'team/nothing',
    });
  });
});

describe('resolving a tag with one manifest HEAD', () => {
  it.each([
    ['an OCI image', 'team/app', '1.1.0', 'app:1.1.0', OCI_MANIFEST],
    ['an OCI image index', 'team/multi', '1.0.0', 'multi:1.0.0', OCI_INDEX],
    ['a Docker image', 'team/docker', '1.0.0', 'docker:1.0.0', DOCKER_MANIFEST],
    ['a Docker manifest list', 'team/docker', 'list', 'docker:list', DOCKER_MANIFEST_LIST],
  ])('gives the digest the push produced for %s', async (_, repository, tag, key, mediaType) => {
    const resolved = await client.resolveTag(image(repository), tag, plain);
    expect(resolved).toEqual({ digest: pushed[key]!.digest, mediaType });
    expect(resolved).toEqual(await registry.manifest(repository, tag));
  });

  it('answers undefined for a tag that does not exist', async () => {
    expect(await client.resolveTag(image('team/app'), '9.9.9', plain)).toBeUndefined();
  });

  it('answers undefined, without asking, for a name that cannot be a tag', async () => {
    expect(await client.resolveTag(image('team/app'), '../../v2/_catalog', plain)).toBeUndefined();
  });

  it('retries a refused connection a bounded number of times, then fails transiently', async () => {
    const waits: number[] = [];
    const impatient = new RegistryClient({ backoffMs: 10, sleep: async (ms) => void waits.push(ms) });
    const nobody = parseImageName(`127.0.0.1:${await freePort()}/team/app`);
    const error = await impatient.resolveTag(nobody, '1.0.0', plain).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryUnavailableError);
    expect(failureClassOf(error)).toBe('transient');
    expect((error as Error).message).toContain('ECONNREFUSED');
    expect((error as RegistryUnavailableError).data).toMatchObject({ attempts: 4 });
    expect(waits).toEqual([10, 20, 40]);
  });
});

describe('reading manifests', () => {
  it('reads an image manifest by tag, with its digest and config', async () => {
    const fetched = await client.getManifest(image('team/app'), 'latest', plain);
    expect(fetched.digest).toBe(pushed['app:latest']!.digest);
    expect(fetched.mediaType).toBe(OCI_MANIFEST);
    expect((fetched.manifest as ImageManifest).config.digest).toMatch(/^sha256:/);
  });

  it('reads an index by digest, with one manifest per platform', async () => {
    const { digest, manifests } = pushed['multi:1.0.0']!;
    const fetched = await client.getManifest(image('team/multi'), digest, plain);
    expect(fetched).toMatchObject({ digest, mediaType: OCI_INDEX });
    expect((fetched.manifest as ImageIndex).manifests).toEqual(manifests);
  });

  it('reads a Docker manifest list', async () => {
    const fetched = await client.getManifest(image('team/docker'), 'list', plain);
    expect(fetched.mediaType).toBe(DOCKER_MANIFEST_LIST);
    expect((fetched.manifest as ImageIndex).manifests.map((m) => m.platform?.architecture)).toEqual([
      'amd64',
      'arm64',
    ]);
  });

  it('fails terminally for a manifest that does not exist', async () => {
    const error = await client.getManifest(image('team/app'), '0.0.1', plain).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryNotFoundError);
    expect((error as Error).message).toBe(`${registry.host}/team/app:0.0.1 does not exist`);
  });
});

describe('when an image was built', () => {
  it.each([
    ['an image', 'team/app', '1.0.0'],
    ['an index, from its linux/amd64 image', 'team/multi', '1.0.0'],
    ['a Docker manifest list', 'team/docker', 'list'],
  ])('reads the config of %s', async (_, repository, tag) => {
    const created = await client.imageCreatedAt(image(repository), tag, plain);
    // Every test image is built with this timestamp so its digests are stable.
    expect(created?.toISOString()).toBe('2024-01-01T00:00:00.000Z');
  });
});
