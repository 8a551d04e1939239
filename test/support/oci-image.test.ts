import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildOciImage,
  buildOciIndex,
  digestOf,
  OCI_INDEX,
  OCI_LAYER_GZIP,
  OCI_MANIFEST,
  writeOciLayout,
} from './oci-image.ts';
import { makeTempDir, removeTempDir, runCommand } from './processes.ts';
import { requireTool } from './tools.ts';

type Manifest = { config: { digest: string }; layers: { mediaType: string; digest: string }[] };

function parse<T>(image: { blobs: Map<string, Buffer> }, digest: string): T {
  return JSON.parse(image.blobs.get(digest)!.toString('utf8')) as T;
}

let dir: string;

beforeAll(async () => {
  dir = await makeTempDir('ferry-oci-test-');
});

afterAll(async () => {
  await removeTempDir(dir);
});

describe('OCI image builder', () => {
  it('gives the same digest for the same seed, on every run and machine', () => {
    const image = buildOciImage('app:1.0.0');
    expect(buildOciImage('app:1.0.0').descriptor).toEqual(image.descriptor);
    expect(image.descriptor.digest).toBe(
      'sha256:e65c10124aec9bbc154a45747754bea6bc343fd4322f12215e45e0d8ce14d225',
    );
    expect(buildOciImage('app:1.0.1').descriptor.digest).not.toBe(image.descriptor.digest);
  });

  it('builds a layer that is a gzip of a tar holding the seed', async () => {
    requireTool('tar', 'tar');
    const image = buildOciImage('seeded');
    const manifest = parse<Manifest>(image, image.descriptor.digest);
    expect(image.descriptor.mediaType).toBe(OCI_MANIFEST);
    expect(manifest.layers[0]?.mediaType).toBe(OCI_LAYER_GZIP);
    const layer = image.blobs.get(manifest.layers[0]!.digest)!;
    const tar = gunzipSync(layer);
    const config = parse<{ rootfs: { diff_ids: string[] } }>(image, manifest.config.digest);
    expect(config.rootfs.diff_ids).toEqual([digestOf(tar)]);
    const tarPath = join(dir, 'layer.tar');
    await runCommand('sh', ['-c', `cat > ${tarPath}`], { input: tar });
    const listed = await runCommand('tar', ['-tvf', tarPath]);
    expect(listed.stdout.toString()).toMatch(/^-rw-r--r-- root\/root\s+7 2024-01-01 00:00 seed.txt$/m);
    const extracted = await runCommand('tar', ['-xOf', tarPath, 'seed.txt']);
    expect(extracted.stdout.toString()).toBe('seeded\n');
  });

  it('builds an image index with one manifest per platform', () => {
    const index = buildOciIndex('multi');
    expect(index.descriptor.mediaType).toBe(OCI_INDEX);
    const body = parse<{ manifests: { digest: string; platform: { architecture: string } }[] }>(
      index,
      index.descriptor.digest,
    );
    expect(body.manifests.map((m) => m.platform.architecture)).toEqual(['amd64', 'arm64']);
    expect(new Set(body.manifests.map((m) => m.digest)).size).toBe(2);
    for (const m of body.manifests) expect(index.blobs.has(m.digest)).toBe(true);
  });

  it('writes a layout with each image under its tag', async () => {
    const layout = join(dir, 'layout');
    const one = buildOciImage('one');
    const many = buildOciIndex('many');
    await writeOciLayout(layout, { one, many });
    const index = JSON.parse(await readFile(join(layout, 'index.json'), 'utf8')) as {
      manifests: { digest: string; annotations: Record<string, string> }[];
    };
    expect(
      index.manifests.map((m) => [m.annotations['org.opencontainers.image.ref.name'], m.digest]),
    ).toEqual([
      ['one', one.descriptor.digest],
      ['many', many.descriptor.digest],
    ]);
    expect(await readFile(join(layout, 'oci-layout'), 'utf8')).toBe('{"imageLayoutVersion":"1.0.0"}');
    const blob = await readFile(join(layout, 'blobs', 'sha256', one.descriptor.digest.slice(7)));
    expect(digestOf(blob)).toBe(one.descriptor.digest);
  });
});
