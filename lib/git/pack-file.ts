/**
 * Reads objects out of a pack and its version 2 index, both held in memory: a binary search of the
 * index finds the offset, Node's zlib inflates, and deltas (offset and ref) are applied against bases
 * kept in a small per-pack cache, since the trees and similar manifests of a fleet repository delta
 * against each other in long chains.
 *
 * A pack may instead come with its objects already decompressed (`raw`, ferry's own sidecar format,
 * written when the pack is indexed): `FRAW`, version 1, a count, then per object in index order its
 * data offset, length (both u32) and type code (u8), then the data. A read is then a slice.
 */
import { inflateSync } from 'node:zlib';
import { applyDelta } from './delta.ts';
import type { GitObject, ObjectType } from './git-objects.ts';

const TYPES: Record<number, ObjectType> = { 1: 'commit', 2: 'tree', 3: 'blob', 4: 'tag' };
export const RAW_TYPE_CODES: Record<ObjectType, number> = { commit: 1, tree: 2, blob: 3, tag: 4 };
export const OFS_DELTA = 6;
export const REF_DELTA = 7;
const BASE_CACHE_BYTES = 16 * 1024 * 1024;

/**
 * The header of the pack entry at `offset`: its type, its inflated size, where its zlib data starts,
 * and its delta base.
 */
export type PackEntryHeader = {
  type: number;
  size: number;
  dataStart: number;
  baseOffset?: number;
  baseOid?: string;
};

export function readEntryHeader(pack: Buffer, offset: number): PackEntryHeader {
  let at = offset;
  let byte = pack[at++]!;
  const type = (byte >> 4) & 7;
  let size = byte & 0x0f;
  let shift = 4;
  while (byte & 0x80) {
    byte = pack[at++]!;
    size += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  }
  if (type === OFS_DELTA) {
    byte = pack[at++]!;
    let distance = byte & 0x7f;
    while (byte & 0x80) {
      byte = pack[at++]!;
      distance = ((distance + 1) * 128) | (byte & 0x7f);
    }
    return { type, size, dataStart: at, baseOffset: offset - distance };
  }
  if (type === REF_DELTA)
    return { type, size, dataStart: at + 20, baseOid: pack.toString('hex', at, at + 20) };
  return { type, size, dataStart: at };
}

/**
 * Inflates the zlib stream of an entry; `consumed` is how many compressed bytes it took. The output
 * chunk is sized to the entry: zlib's default 16 KiB chunk would otherwise stay allocated behind every
 * small manifest read.
 */
export function inflateAt(pack: Buffer, header: PackEntryHeader): { data: Buffer; consumed: number } {
  const result = inflateSync(pack.subarray(header.dataStart), {
    info: true,
    chunkSize: Math.max(64, header.size),
  }) as unknown as {
    buffer: Buffer;
    engine: { bytesWritten: number };
  };
  return { data: result.buffer, consumed: result.engine.bytesWritten };
}

export function objectTypeOf(code: number): ObjectType {
  const type = TYPES[code];
  if (!type) throw new Error(`unknown pack object type ${code}`);
  return type;
}

/** The pack itself, or its objects decompressed. */
export type PackSource = { pack: Buffer } | { raw: Buffer };

export class PackFile {
  readonly name: string;
  readonly #idx: Buffer;
  readonly #pack: Buffer | undefined;
  readonly #raw: Buffer | undefined;
  readonly #count: number;
  readonly #bases = new Map<number, GitObject>();
  #baseBytes = 0;

  constructor(name: string, idx: Buffer, source: PackSource) {
    if (idx.readUInt32BE(0) !== 0xff744f63 || idx.readUInt32BE(4) !== 2)
      throw new Error(`${name}: not a v2 pack index`);
    this.name = name;
    this.#idx = idx;
    this.#count = idx.readUInt32BE(8 + 255 * 4);
    if ('raw' in source) {
      if (source.raw.toString('latin1', 0, 4) !== 'FRAW' || source.raw.readUInt32BE(8) !== this.#count) {
        throw new Error(`${name}: the raw objects do not match the index`);
      }
      this.#raw = source.raw;
    } else {
      this.#pack = source.pack;
    }
  }

  get count(): number {
    return this.#count;
  }

  /** The position of `oid` in the index, or undefined when this pack does not hold it. */
  #indexOf(oid: string): number | undefined {
    const key = Buffer.from(oid, 'hex');
    const first = key[0]!;
    let low = first === 0 ? 0 : this.#idx.readUInt32BE(8 + (first - 1) * 4);
    let high = this.#idx.readUInt32BE(8 + first * 4);
    const names = 8 + 256 * 4;
    while (low < high) {
      const mid = (low + high) >>> 1;
      const at = names + mid * 20;
      const order = this.#idx.compare(key, 0, 20, at, at + 20);
      if (order === 0) return mid;
      if (order > 0) high = mid;
      else low = mid + 1;
    }
    return undefined;
  }

  has(oid: string): boolean {
    return this.#indexOf(oid) !== undefined;
  }

  read(oid: string): GitObject | undefined {
    const index = this.#indexOf(oid);
    if (index === undefined) return undefined;
    if (this.#raw) {
      const entry = 12 + index * 9;
      const start = 12 + this.#count * 9 + this.#raw.readUInt32BE(entry);
      const data = this.#raw.subarray(start, start + this.#raw.readUInt32BE(entry + 4));
      return { type: objectTypeOf(this.#raw.readUInt8(entry + 8)), data };
    }
    return this.#readAt(this.#offsetAt(index));
  }

  /** The object at a pack offset, deltas resolved; delta bases and results are kept for the next read. */
  #readAt(offset: number, keep = false): GitObject {
    const cached = this.#bases.get(offset);
    if (cached) return cached;
    const pack = this.#pack!;
    const header = readEntryHeader(pack, offset);
    const { data } = inflateAt(pack, header);
    let object: GitObject;
    if (header.type !== OFS_DELTA && header.type !== REF_DELTA) {
      object = { type: objectTypeOf(header.type), data };
    } else {
      const base =
        header.baseOffset !== undefined
          ? this.#readAt(header.baseOffset, true)
          : this.#readBase(header.baseOid!, offset);
      object = { type: base.type, data: applyDelta(base.data, data) };
      keep = true;
    }
    if (keep) this.#remember(offset, object);
    return object;
  }

  /** A ref-delta's base; a thin pack's base outside the pack is not supported (we never ask for one). */
  #readBase(oid: string, offset: number): GitObject {
    const index = this.#indexOf(oid);
    if (index === undefined)
      throw new Error(`${this.name}: delta base ${oid} of the object at ${offset} is missing`);
    return this.#readAt(this.#offsetAt(index), true);
  }

  /** Keeps delta results so the next object of a chain costs one inflate; dropped oldest first. */
  #remember(offset: number, object: GitObject): void {
    this.#bases.set(offset, object);
    this.#baseBytes += object.data.length;
    for (const [key, value] of this.#bases) {
      if (this.#baseBytes <= BASE_CACHE_BYTES) break;
      this.#bases.delete(key);
      this.#baseBytes -= value.data.length;
    }
  }

  #offsetAt(index: number): number {
    const offsets = 8 + 256 * 4 + this.#count * 24;
    const small = this.#idx.readUInt32BE(offsets + index * 4);
    if (!(small & 0x80000000)) return small;
    const large = offsets + this.#count * 4 + (small & 0x7fffffff) * 8;
    return Number(this.#idx.readBigUInt64BE(large));
  }
}
