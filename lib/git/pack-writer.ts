/**
 * Writes a pack. An object may name a base the reader already has (the previous version of the same
 * file or tree): it is then written as a ref-delta against it when that is much smaller, which makes a
 * push "thin" as `git push` makes it. A tree of a hundred entries with one oid changed goes out as a
 * few dozen bytes instead of kilobytes.
 */
import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { encodeDelta } from './delta.ts';
import type { GitObject, ObjectType } from './git-objects.ts';

const TYPE_CODES: Record<ObjectType, number> = { commit: 1, tree: 2, blob: 3, tag: 4 };
const REF_DELTA = 7;

export type PackEntry = GitObject & { base?: { oid: string; data: Buffer } | undefined };

export function writePack(entries: readonly PackEntry[]): Buffer {
  const header = Buffer.alloc(12);
  header.write('PACK', 0, 'latin1');
  header.writeUInt32BE(2, 4);
  header.writeUInt32BE(entries.length, 8);
  const parts: Buffer[] = [header];
  for (const entry of entries) {
    const delta = entry.base ? encodeDelta(entry.base.data, entry.data) : undefined;
    if (delta && entry.base) {
      parts.push(
        entryHeader(REF_DELTA, delta.length),
        Buffer.from(entry.base.oid, 'hex'),
        deflateSync(delta, { level: 1 }),
      );
    } else {
      parts.push(
        entryHeader(TYPE_CODES[entry.type], entry.data.length),
        deflateSync(entry.data, { level: 1 }),
      );
    }
  }
  const body = Buffer.concat(parts);
  return Buffer.concat([body, createHash('sha1').update(body).digest()]);
}

/** Type in bits 4-6 of the first byte with the low 4 bits of the size, then 7 bits a byte. */
function entryHeader(type: number, size: number): Buffer {
  const bytes: number[] = [];
  let byte = (type << 4) | (size & 0x0f);
  let rest = Math.floor(size / 16);
  while (rest > 0) {
    bytes.push(byte | 0x80);
    byte = rest & 0x7f;
    rest = Math.floor(rest / 128);
  }
  bytes.push(byte);
  return Buffer.from(bytes);
}
