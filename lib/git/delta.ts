/**
 * git's delta format: the base and target sizes as varints, then instructions that either copy a range
 * of the base or insert literal bytes. Applying handles any delta git writes; encoding is the simplest
 * useful one, a common prefix and suffix around an inserted middle, which is exactly the shape of an
 * update: a manifest with one tag changed, a tree with one entry's oid changed.
 */

/** Applies a git delta (source size, target size, then copy and insert instructions) to `base`. */
export function applyDelta(base: Buffer, delta: Buffer): Buffer {
  let at = 0;
  const varint = () => {
    let value = 0;
    let shift = 0;
    let byte: number;
    do {
      byte = delta[at++]!;
      value += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80);
    return value;
  };
  if (varint() !== base.length) throw new Error('delta base size mismatch');
  const out = Buffer.allocUnsafe(varint());
  let written = 0;
  while (at < delta.length) {
    const op = delta[at++]!;
    if (op & 0x80) {
      let offset = 0;
      let size = 0;
      for (let bit = 0; bit < 4; bit++) if (op & (1 << bit)) offset |= delta[at++]! << (8 * bit);
      for (let bit = 0; bit < 3; bit++) if (op & (16 << bit)) size |= delta[at++]! << (8 * bit);
      if (size === 0) size = 0x10000;
      written += base.copy(out, written, offset >>> 0, (offset >>> 0) + size);
    } else if (op > 0) {
      written += delta.copy(out, written, at, at + op);
      at += op;
    } else {
      throw new Error('delta opcode 0 is reserved');
    }
  }
  if (written !== out.length) throw new Error('delta result size mismatch');
  return out;
}

/** Copy instructions carry at most 24 bits of size; inserts at most 127 bytes. */
const MAX_COPY = 0xffffff;
const MAX_INSERT = 0x7f;

/**
 * A delta that rebuilds `target` from `base` (prefix copy, inserted middle, suffix copy), or undefined
 * when the two share too little for a delta to be worth sending.
 */
export function encodeDelta(base: Buffer, target: Buffer): Buffer | undefined {
  const limit = Math.min(base.length, target.length);
  let prefix = 0;
  while (prefix < limit && base[prefix] === target[prefix]) prefix++;
  let suffix = 0;
  while (suffix < limit - prefix && base[base.length - 1 - suffix] === target[target.length - 1 - suffix]) {
    suffix++;
  }
  if (target.length - prefix - suffix + 32 > target.length / 2) return undefined;

  const out: number[] = [...varint(base.length), ...varint(target.length)];
  const copy = (offset: number, size: number) => {
    for (let done = 0; done < size; done += MAX_COPY) {
      const at = offset + done;
      const length = Math.min(MAX_COPY, size - done);
      const bytes: number[] = [];
      let op = 0x80;
      for (let i = 0; i < 4; i++) {
        const byte = (at >>> (8 * i)) & 0xff;
        if (byte !== 0) {
          op |= 1 << i;
          bytes.push(byte);
        }
      }
      for (let i = 0; i < 3; i++) {
        const byte = (length >>> (8 * i)) & 0xff;
        if (byte !== 0) {
          op |= 16 << i;
          bytes.push(byte);
        }
      }
      out.push(op, ...bytes);
    }
  };
  copy(0, prefix);
  for (let at = prefix; at < target.length - suffix; at += MAX_INSERT) {
    const chunk = target.subarray(at, Math.min(at + MAX_INSERT, target.length - suffix));
    out.push(chunk.length, ...chunk);
  }
  copy(base.length - suffix, suffix);
  return Buffer.from(out);
}

function varint(value: number): number[] {
  const bytes: number[] = [];
  let rest = value;
  do {
    let byte = rest & 0x7f;
    rest = Math.floor(rest / 128);
    if (rest > 0) byte |= 0x80;
    bytes.push(byte);
  } while (rest > 0);
  return bytes;
}
