/**
 * The fetch side of the protocol (`git-upload-pack`, v0, stateless): one request naming the commit we
 * want, the shallow boundary we hold, the depth, and every commit we already have, ended by `done`, so
 * the server answers with one pack of only the objects we lack. No negotiation rounds: the haves are the
 * few branch heads we fetched or pushed before, and the server stops its walk at the first it knows.
 */
import { GitProtocolError } from './git-errors.ts';
import { FLUSH, pktLine, pktText, readPktLines, sideBand } from './pkt-line.ts';

export type UploadPackRequest = {
  want: string;
  haves: readonly string[];
  /** Commits whose parents we lack; the server must not assume we have what lies beyond them. */
  shallow: readonly string[];
  /** 1 for the newest commit only; undefined for full history. */
  depth?: number | undefined;
  /** What the server advertised; we ask only for what it offers. */
  serverCapabilities: ReadonlySet<string>;
};

export type UploadPackResult = {
  /** Undefined when the server had nothing to send (an empty pack). */
  pack: Buffer | undefined;
  shallow: string[];
  unshallow: string[];
};

const WANTED = ['side-band-64k', 'ofs-delta', 'shallow', 'no-progress'];

export function uploadPackRequest(request: UploadPackRequest): Buffer {
  const { want, haves, shallow, depth, serverCapabilities } = request;
  if (!serverCapabilities.has('side-band-64k')) {
    throw new GitProtocolError('the remote does not offer side-band-64k');
  }
  const caps = [...WANTED.filter((cap) => serverCapabilities.has(cap)), 'agent=git/ferry'];
  const deepen = depth !== undefined && serverCapabilities.has('shallow');
  const lines = [pktLine(`want ${want} ${caps.join(' ')}\n`)];
  if (serverCapabilities.has('shallow')) for (const oid of shallow) lines.push(pktLine(`shallow ${oid}\n`));
  if (deepen) lines.push(pktLine(`deepen ${depth}\n`));
  lines.push(FLUSH);
  for (const oid of haves) lines.push(pktLine(`have ${oid}\n`));
  lines.push(pktLine('done\n'));
  return Buffer.concat(lines);
}

/**
 * Reads the answer: shallow/unshallow lines, ACK or NAK, then the pack in side-band 1 up to a flush.
 * An `ERR` line is the server refusing the request (an unknown want, most often).
 */
export function parseUploadPackResponse(data: Buffer): UploadPackResult {
  const shallow: string[] = [];
  const unshallow: string[] = [];
  const bands: Buffer[] = [];
  let inPack = false;
  for (const line of readPktLines(data)) {
    if (line.kind === 'flush') {
      if (inPack) break;
      continue;
    }
    const first = line.payload[0];
    if (inPack || first === 1 || first === 2 || first === 3) {
      inPack = true;
      bands.push(line.payload);
      continue;
    }
    const text = pktText(line.payload);
    if (text.startsWith('shallow ')) shallow.push(text.slice(8));
    else if (text.startsWith('unshallow ')) unshallow.push(text.slice(10));
    else if (text.startsWith('ERR '))
      throw new GitProtocolError(`the remote refused the fetch: ${text.slice(4)}`, {
        data: { refused: true },
      });
    else if (text !== 'NAK' && !text.startsWith('ACK ')) {
      throw new GitProtocolError('unexpected line in the fetch response', {
        data: { line: text.slice(0, 80) },
      });
    }
  }
  const pack = sideBand(bands);
  // An empty pack is 12 header bytes and a 20-byte checksum.
  return { pack: pack.length > 32 ? pack : undefined, shallow, unshallow };
}
