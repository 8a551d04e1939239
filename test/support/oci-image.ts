import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';

export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';
export const OCI_LAYER_GZIP = 'application/vnd.oci.image.layer.v1.tar+gzip';

export type OciPlatform = { os: string; architecture: string; variant?: string };

export type OciDescriptor = {
  mediaType: string;
  digest: string;
  size: number;
  platform?: OciPlatform;
  annotations?: Record<string, string>;
};

/** A manifest or an index with every blob it needs, manifests included, keyed by digest. */
export type OciImage = { descriptor: OciDescriptor; blobs: Map<string, Buffer> };

/** The platforms of an image index; two, so digest handling of indexes has a choice to make. */
export const INDEX_PLATFORMS: OciPlatform[] = [
  { os: 'linux', architecture: 'amd64' },
  { os: 'linux', architecture: 'arm64', variant: 'v8' },
];

/** Every timestamp in a built image, so the same seed always gives the same digests. */
const CREATED = '2024-01-01T00:00:00Z';
const MTIME = Date.parse(CREATED) / 1000;

export function digestOf(bytes: Buffer): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/**
 * A tiny, valid single-platform image: one gzip'd layer holding `seed` in a file, so each seed gives
 * distinct digests and the same seed always gives the same ones.
 */
export function buildOciImage(seed: string, platform: OciPlatform = INDEX_PLATFORMS[0]!): OciImage {
  const blobs = new Map<string, Buffer>();
  const add = (mediaType: string, bytes: Buffer): OciDescriptor => {
    const digest = digestOf(bytes);
    blobs.set(digest, bytes);
    return { mediaType, digest, size: bytes.length };
  };
  const tar = tarOf('seed.txt', Buffer.from(`${seed}\n`, 'utf8'));
  const layer = add(OCI_LAYER_GZIP, storedGzip(tar));
  const config = add(
    OCI_CONFIG,
    json({
      created: CREATED,
      ...platform,
      config: { Labels: { 'dev.ferry.test.seed': seed } },
      rootfs: { type: 'layers', diff_ids: [digestOf(tar)] },
      history: [{ created: CREATED, created_by: 'ferry test image' }],
    }),
  );
  const manifest = add(
    OCI_MANIFEST,
    json({ schemaVersion: 2, mediaType: OCI_MANIFEST, config, layers: [layer] }),
  );
  return { descriptor: manifest, blobs };
}

/** An image index over one image per platform, each built from the seed and its platform. */
export function buildOciIndex(seed: string, platforms: OciPlatform[] = INDEX_PLATFORMS): OciImage {
  const blobs = new Map<string, Buffer>();
  const manifests = platforms.map((platform) => {
    const image = buildOciImage(`${seed} ${platform.os}/${platform.architecture}`, platform);
    for (const [digest, bytes] of image.blobs) blobs.set(digest, bytes);
    return { ...image.descriptor, platform };
  });
  const bytes = json({ schemaVersion: 2, mediaType: OCI_INDEX, manifests });
  const digest = digestOf(bytes);
  blobs.set(digest, bytes);
  return { descriptor: { mediaType: OCI_INDEX, digest, size: bytes.length }, blobs };
}

/**
 * Writes an OCI image layout (`oci-layout`, `index.json`, `blobs/`) holding each image under its tag,
 * ready for `oci:<dir>:<tag>`.
 */
export async function writeOciLayout(dir: string, images: Record<string, OciImage>): Promise<void> {
  await mkdir(join(dir, 'blobs', 'sha256'), { recursive: true });
  const written = new Set<string>();
  for (const image of Object.values(images)) {
    for (const [digest, bytes] of image.blobs) {
      if (written.has(digest)) continue;
      written.add(digest);
      await writeFile(join(dir, 'blobs', 'sha256', digest.slice('sha256:'.length)), bytes);
    }
  }
  const manifests = Object.entries(images).map(([tag, image]) => ({
    ...image.descriptor,
    annotations: { 'org.opencontainers.image.ref.name': tag },
  }));
  await writeFile(join(dir, 'oci-layout'), json({ imageLayoutVersion: '1.0.0' }));
  await writeFile(join(dir, 'index.json'), json({ schemaVersion: 2, mediaType: OCI_INDEX, manifests }));
}

function json(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value), 'utf8');
}

/** A ustar archive of one regular file owned by root, with a fixed mtime. */
function tarOf(name: string, content: Buffer): Buffer {
  const header = Buffer.alloc(512);
  const field = (offset: number, length: number, value: string) =>
    header.write(value, offset, length, 'ascii');
  const octal = (offset: number, length: number, value: number) =>
    field(offset, length, `${value.toString(8).padStart(length - 1, '0')}\0`);
  field(0, 100, name);
  octal(100, 8, 0o644);
  octal(108, 8, 0);
  octal(116, 8, 0);
  octal(124, 12, content.length);
  octal(136, 12, MTIME);
  field(148, 8, ' '.repeat(8));
  field(156, 1, '0');
  field(257, 8, 'ustar\x0000');
  field(265, 32, 'root');
  field(297, 32, 'root');
  const checksum = header.reduce((sum, byte) => sum + byte, 0);
  field(148, 8, `${checksum.toString(8).padStart(6, '0')}\0 `);
  const padding = Buffer.alloc((512 - (content.length % 512)) % 512);
  return Buffer.concat([header, content, padding, Buffer.alloc(1024)]);
}

/**
 * Gzip with stored (uncompressed) deflate blocks and a zeroed header: valid everywhere, and unlike zlib's
 * compressed output its bytes cannot change with the zlib version or the OS byte, so digests stay put.
 */
function storedGzip(data: Buffer): Buffer {
  const parts: Buffer[] = [Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff])];
  let offset = 0;
  do {
    const chunk = data.subarray(offset, offset + 0xffff);
    offset += chunk.length;
    const block = Buffer.alloc(5);
    block.writeUInt8(offset >= data.length ? 1 : 0, 0);
    block.writeUInt16LE(chunk.length, 1);
    block.writeUInt16LE(~chunk.length & 0xffff, 3);
    parts.push(block, chunk);
  } while (offset < data.length);
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc32(data), 0);
  trailer.writeUInt32LE(data.length % 2 ** 32, 4);
  parts.push(trailer);
  return Buffer.concat(parts);
}
