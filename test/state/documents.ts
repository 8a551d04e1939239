/**
 * Test values with the shape of what ferry stores: image digests and tag lists. Seeded, so a
 * failure reproduces; random enough that gzip cannot shrink them to nothing.
 */

/** A deterministic generator of floats in [0, 1) (mulberry32). */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function hex(next: () => number, length: number): string {
  let out = '';
  while (out.length < length)
    out += Math.floor(next() * 0x1_0000_0000)
      .toString(16)
      .padStart(8, '0');
  return out.slice(0, length);
}

export interface ImageRecord {
  tag: string;
  digest: string;
  pushedAt: number;
}

/** A JSON document of at least `bytes` bytes once serialised. */
export function randomDocument(bytes: number, seed: number): { images: ImageRecord[] } {
  const next = generator(seed);
  const images: ImageRecord[] = [];
  let size = 0;
  while (size < bytes) {
    const image = {
      tag: `v${Math.floor(next() * 100)}.${Math.floor(next() * 1000)}.${hex(next, 6)}`,
      digest: `sha256:${hex(next, 64)}`,
      pushedAt: 1_700_000_000_000 + Math.floor(next() * 1e10),
    };
    size += JSON.stringify(image).length + 1;
    images.push(image);
  }
  return { images };
}

/** An image repository's tag list, the largest value ferry keeps in practice. */
export function tagList(count: number): { image: string; tags: string[] } {
  const next = generator(count);
  const tags = Array.from({ length: count }, (_, i) => `1.${Math.floor(i / 100)}.${i % 100}-${hex(next, 7)}`);
  return { image: 'registry.example.com/team/app', tags };
}
