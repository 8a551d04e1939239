/**
 * pkt-line framing of git's wire protocol: four hex digits of length (header included), then the
 * payload; `0000` is a flush. Side-band streams multiplex pack data (band 1), progress (2) and a fatal
 * error (3) in the payloads of one pkt-line stream.
 */
import { GitProtocolError } from './git-errors.ts';

export const FLUSH = Buffer.from('0000', 'ascii');

export type PktLine = { kind: 'flush' } | { kind: 'data'; payload: Buffer };

/** One pkt-line around a payload (text gets no newline added: the caller writes what git expects). */
export function pktLine(payload: string | Uint8Array): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : Buffer.from(payload);
  if (body.length > 65516) throw new RangeError('pkt-line payload over 65516 bytes');
  return Buffer.concat([Buffer.from((body.length + 4).toString(16).padStart(4, '0'), 'ascii'), body]);
}

/** Splits a whole response into pkt-lines, starting at `offset`; stops at the end of the buffer. */
export function* readPktLines(buffer: Buffer, offset = 0): Generator<PktLine> {
  let at = offset;
  while (at < buffer.length) {
    if (at + 4 > buffer.length) throw new GitProtocolError('truncated pkt-line header');
    const length = Number.parseInt(buffer.toString('ascii', at, at + 4), 16);
    if (!Number.isInteger(length) || length === 3) {
      throw new GitProtocolError('malformed pkt-line length', { data: { at } });
    }
    if (length < 3) {
      // 0000 flush; 0001 delim and 0002 response-end (protocol v2) read as flushes here.
      at += 4;
      yield { kind: 'flush' };
      continue;
    }
    if (at + length > buffer.length) throw new GitProtocolError('truncated pkt-line', { data: { at } });
    yield { kind: 'data', payload: buffer.subarray(at + 4, at + length) };
    at += length;
  }
}

/** A text payload without its trailing newline. */
export function pktText(payload: Buffer): string {
  const text = payload.toString('utf8');
  return text.endsWith('\n') ? text.slice(0, -1) : text;
}

/**
 * Demultiplexes side-band payloads: band 1 is returned concatenated, band 2 lines go to `progress`,
 * band 3 throws with the remote's message.
 */
export function sideBand(payloads: Iterable<Buffer>, progress: string[] = []): Buffer {
  const data: Buffer[] = [];
  for (const payload of payloads) {
    const band = payload[0];
    const rest = payload.subarray(1);
    if (band === 1) data.push(rest);
    else if (band === 2) progress.push(rest.toString('utf8'));
    else if (band === 3) throw new GitProtocolError(`remote error: ${rest.toString('utf8').trim()}`);
    else throw new GitProtocolError(`unexpected side-band ${band}`);
  }
  return Buffer.concat(data);
}
