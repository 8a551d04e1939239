/**
 * How a JSON value fits into DynamoDB items, which cap at 400 KB each. Most values are small and
 * stay readable text in the head item. A larger one is gzipped first (JSON shrinks well: a tag list
 * of 50,000 entries fits one item compressed), and only what still does not fit is cut into chunk
 * items of the compressed bytes.
 */
import { promisify } from 'node:util';
import { gunzip as gunzipCallback, gzip as gzipCallback } from 'node:zlib';

const gzip = promisify(gzipCallback);
const gunzip = promisify(gunzipCallback);

/** Room for the key and the other attributes under DynamoDB's 400 KB item cap. */
export const INLINE_LIMIT_BYTES = 350 * 1024;
export const CHUNK_BYTES = 350 * 1024;

export type PackedValue =
  | { kind: 'text'; json: string }
  | { kind: 'gzip'; bytes: Uint8Array }
  | { kind: 'chunks'; chunks: Uint8Array[] };

/** The smallest form the JSON text fits in. */
export async function packValue(json: string): Promise<PackedValue> {
  if (Buffer.byteLength(json) <= INLINE_LIMIT_BYTES) return { kind: 'text', json };
  const bytes = await gzip(json);
  if (bytes.length <= INLINE_LIMIT_BYTES) return { kind: 'gzip', bytes };
  const chunks: Uint8Array[] = [];
  for (let start = 0; start < bytes.length; start += CHUNK_BYTES) {
    chunks.push(bytes.subarray(start, start + CHUNK_BYTES));
  }
  return { kind: 'chunks', chunks };
}

/** The JSON text back from gzipped bytes, whole or in chunks. */
export async function unpackGzip(parts: Uint8Array[]): Promise<string> {
  const bytes = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  return (await gunzip(bytes)).toString('utf8');
}

/**
 * The sort key of one chunk. It names the write (version and a random write id) as well as the
 * item, so a writer that loses the race for the head never overwrites the chunks of the winner,
 * even when both computed the same next version. The zero-padded index keeps chunks in order.
 */
export function chunkSortKey(rest: string, version: number, writeId: string, index: number): string {
  return `${chunkSortKeyPrefix(rest, version, writeId)}${String(index).padStart(5, '0')}`;
}

export function chunkSortKeyPrefix(rest: string, version: number, writeId: string): string {
  return `${rest}#${version}.${writeId}#`;
}

/**
 * The partition holding the chunks of a head partition. A head's partition never contains "/"
 * (it is the key up to the first "/"), so no head partition can be a chunk partition, and a
 * prefix query on a head partition never meets a chunk.
 */
export function chunkPartition(partition: string): string {
  return `${partition}/chunks`;
}
