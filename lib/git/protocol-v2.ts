/**
 * git's wire protocol version 2 for fetching (`git-upload-pack` over stateless HTTP): the capability
 * advertisement that replaces v0's ref listing, `ls-refs` with `ref-prefix` so a repository with
 * thousands of refs (a forge's `refs/pull/*`) sends only the ones asked for, and `fetch`, whose answer
 * comes in sections (`shallow-info`, `acknowledgments`, `packfile`). Pure: no I/O.
 */
import { GitProtocolError } from './git-errors.ts';
import { FLUSH, pktLine, pktText, readPktLines, sideBand } from './pkt-line.ts';
import type { UploadPackRequest, UploadPackResult } from './upload-pack.ts';

/** The delimiter between a v2 command's capabilities and its arguments. */
export const DELIM = Buffer.from('0001', 'ascii');

const AGENT = 'agent=git/ferry';

/** Whether an `info/refs` body is a v2 capability advertisement (`version 2` first). */
export function isV2Advertisement(data: Buffer): boolean {
  for (const line of readPktLines(data)) {
    if (line.kind === 'flush') continue;
    return pktText(line.payload) === 'version 2';
  }
  return false;
}

/** `command=value` lines as a map; `fetch=shallow filter` gives `fetch` → `shallow filter`. */
export function parseV2Capabilities(data: Buffer): Map<string, string> {
  const capabilities = new Map<string, string>();
  for (const line of readPktLines(data)) {
    if (line.kind === 'flush') continue;
    const text = pktText(line.payload);
    if (text === 'version 2') continue;
    const equals = text.indexOf('=');
    if (equals < 0) capabilities.set(text, '');
    else capabilities.set(text.slice(0, equals), text.slice(equals + 1));
  }
  return capabilities;
}

/** `ls-refs` for the refs under `prefixes`, annotated tags peeled. */
export function lsRefsRequest(prefixes: readonly string[]): Buffer {
  return Buffer.concat([
    pktLine('command=ls-refs\n'),
    pktLine(`${AGENT}\n`),
    DELIM,
    pktLine('peel\n'),
    ...prefixes.map((prefix) => pktLine(`ref-prefix ${prefix}\n`)),
    FLUSH,
  ]);
}

/** Reads `oid name [peeled:oid]` lines: the refs, and what each annotated tag peels to. */
export function parseLsRefs(data: Buffer): { refs: Map<string, string>; peeled: Map<string, string> } {
  const refs = new Map<string, string>();
  const peeled = new Map<string, string>();
  for (const line of readPktLines(data)) {
    if (line.kind === 'flush') continue;
    const text = pktText(line.payload);
    if (text.startsWith('ERR ')) throw new GitProtocolError(`the remote refused ls-refs: ${text.slice(4)}`);
    const [oid, name, ...attributes] = text.split(' ');
    if (!oid || !name || !/^[0-9a-f]{40}$/.test(oid)) {
      throw new GitProtocolError('malformed ls-refs line', { data: { line: text.slice(0, 80) } });
    }
    refs.set(name, oid);
    for (const attribute of attributes) {
      if (attribute.startsWith('peeled:')) peeled.set(name, attribute.slice(7));
    }
  }
  return { refs, peeled };
}

/**
 * `fetch` with `done`: no negotiation rounds, as in v0 (see upload-pack.ts). `features` are the values
 * of the server's `fetch=` capability; a depth is only asked for when it offers `shallow`.
 */
export function fetchRequestV2(request: UploadPackRequest): Buffer {
  const { want, haves, shallow, depth, serverCapabilities: features } = request;
  const lines = [pktLine('command=fetch\n'), pktLine(`${AGENT}\n`), DELIM];
  lines.push(pktLine('ofs-delta\n'), pktLine('no-progress\n'));
  if (features.has('shallow')) {
    for (const oid of shallow) lines.push(pktLine(`shallow ${oid}\n`));
    if (depth !== undefined) lines.push(pktLine(`deepen ${depth}\n`));
  }
  lines.push(pktLine(`want ${want}\n`));
  for (const oid of haves) lines.push(pktLine(`have ${oid}\n`));
  lines.push(pktLine('done\n'), FLUSH);
  return Buffer.concat(lines);
}

const SECTIONS = new Set(['shallow-info', 'acknowledgments', 'wanted-refs', 'packfile-uris', 'packfile']);

/** Reads the sections of a `fetch` answer; the pack arrives in side-band after `packfile`. */
export function parseFetchResponseV2(data: Buffer): UploadPackResult {
  const shallow: string[] = [];
  const unshallow: string[] = [];
  const bands: Buffer[] = [];
  let section = '';
  for (const line of readPktLines(data)) {
    if (line.kind === 'flush') {
      if (section === 'packfile') break;
      continue;
    }
    if (section === 'packfile') {
      bands.push(line.payload);
      continue;
    }
    const text = pktText(line.payload);
    if (text.startsWith('ERR '))
      throw new GitProtocolError(`the remote refused the fetch: ${text.slice(4)}`, {
        data: { refused: true },
      });
    if (SECTIONS.has(text)) section = text;
    else if (section === 'shallow-info' && text.startsWith('shallow ')) shallow.push(text.slice(8));
    else if (section === 'shallow-info' && text.startsWith('unshallow ')) unshallow.push(text.slice(10));
    else if (section !== 'acknowledgments') {
      throw new GitProtocolError('unexpected line in the fetch response', {
        data: { line: text.slice(0, 80) },
      });
    }
  }
  const pack = sideBand(bands);
  return { pack: pack.length > 32 ? pack : undefined, shallow, unshallow };
}
