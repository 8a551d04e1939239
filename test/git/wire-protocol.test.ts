import { describe, expect, it } from 'vitest';
import { GitProtocolError } from '../../lib/git/git-errors.ts';
import { FLUSH, pktLine, readPktLines } from '../../lib/git/pkt-line.ts';
import { parseReceivePackResponse, receivePackRequest } from '../../lib/git/receive-pack.ts';
import { parseAdvertisement } from '../../lib/git/smart-http.ts';
import { parseUploadPackResponse, uploadPackRequest } from '../../lib/git/upload-pack.ts';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const C = 'c'.repeat(40);
const band = (n: number, data: string | Buffer) =>
  pktLine(Buffer.concat([Buffer.from([n]), Buffer.from(data)]));

describe('pkt-lines', () => {
  it('frames a payload with its length in hex, header included', () => {
    expect(pktLine('want x\n').toString()).toBe('000bwant x\n');
  });

  it('reads data lines and flushes', () => {
    const lines = [...readPktLines(Buffer.concat([pktLine('a\n'), FLUSH, pktLine('bc')]))];
    expect(lines.map((l) => (l.kind === 'flush' ? 'flush' : l.payload.toString()))).toEqual([
      'a\n',
      'flush',
      'bc',
    ]);
  });

  it.each([
    ['a truncated line', '000ashort'],
    ['a malformed length', 'zzzzdata'],
  ])('refuses %s', (_label, raw) => {
    expect(() => [...readPktLines(Buffer.from(raw))]).toThrow(GitProtocolError);
  });
});

describe('ref advertisement', () => {
  it('reads refs and the capabilities after the first ref', () => {
    const data = Buffer.concat([
      pktLine('# service=git-upload-pack\n'),
      FLUSH,
      pktLine(`${A} HEAD\0multi_ack side-band-64k shallow symref=HEAD:refs/heads/main\n`),
      pktLine(`${A} refs/heads/main\n`),
      pktLine(`${B} refs/heads/auto\n`),
      FLUSH,
    ]);
    const { refs, capabilities } = parseAdvertisement(data, 'git-upload-pack', 'http://x');
    expect([...refs]).toEqual([
      ['HEAD', A],
      ['refs/heads/main', A],
      ['refs/heads/auto', B],
    ]);
    expect(capabilities.has('side-band-64k')).toBe(true);
    expect(capabilities.has('symref=HEAD:refs/heads/main')).toBe(true);
  });

  it('reads an empty repository as no refs', () => {
    const data = Buffer.concat([
      pktLine('# service=git-receive-pack\n'),
      FLUSH,
      pktLine(`${'0'.repeat(40)} capabilities^{}\0report-status\n`),
      FLUSH,
    ]);
    const { refs, capabilities } = parseAdvertisement(data, 'git-receive-pack', 'http://x');
    expect(refs.size).toBe(0);
    expect([...capabilities]).toEqual(['report-status']);
  });

  it('refuses a response without the service line (a dumb server, a login page)', () => {
    expect(() => parseAdvertisement(Buffer.from('<html>'), 'git-upload-pack', 'http://x')).toThrow(
      GitProtocolError,
    );
  });
});

describe('fetch request and response', () => {
  const offered = new Set(['multi_ack', 'side-band-64k', 'ofs-delta', 'shallow', 'no-progress', 'thin-pack']);

  it('asks for one head at depth 1, with only capabilities the server offers, and ends with done', () => {
    const request = uploadPackRequest({
      want: A,
      haves: [],
      shallow: [],
      depth: 1,
      serverCapabilities: offered,
    });
    expect(request.toString()).toBe(
      [
        pktLine(`want ${A} side-band-64k ofs-delta shallow no-progress agent=git/ferry\n`),
        pktLine('deepen 1\n'),
        FLUSH,
        pktLine('done\n'),
      ].join(''),
    );
  });

  it('sends its shallow boundary and haves, and no depth, on an incremental fetch', () => {
    const request = uploadPackRequest({ want: A, haves: [B], shallow: [C], serverCapabilities: offered });
    expect(request.toString()).toBe(
      [
        pktLine(`want ${A} side-band-64k ofs-delta shallow no-progress agent=git/ferry\n`),
        pktLine(`shallow ${C}\n`),
        FLUSH,
        pktLine(`have ${B}\n`),
        pktLine('done\n'),
      ].join(''),
    );
  });

  it('refuses a server without side-band-64k', () => {
    expect(() =>
      uploadPackRequest({ want: A, haves: [], shallow: [], serverCapabilities: new Set() }),
    ).toThrow(GitProtocolError);
  });

  it('reads shallow lines, the NAK and the pack from side-band 1, ignoring progress', () => {
    const pack = Buffer.concat([Buffer.from('PACK'), Buffer.alloc(40, 1)]);
    const response = Buffer.concat([
      pktLine(`shallow ${A}\n`),
      FLUSH,
      pktLine('NAK\n'),
      band(2, 'Counting objects: 3\n'),
      band(1, pack.subarray(0, 10)),
      band(1, pack.subarray(10)),
      FLUSH,
    ]);
    expect(parseUploadPackResponse(response)).toEqual({ pack, shallow: [A], unshallow: [] });
  });

  it.each([
    ['an ERR line', pktLine('ERR upload-pack: not our ref\n'), /not our ref/],
    ['a fatal side-band 3 message', band(3, 'fatal: out of memory\n'), /out of memory/],
  ])('fails on %s with the remote message', (_label, line, message) => {
    expect(() => parseUploadPackResponse(Buffer.concat([pktLine('NAK\n'), line]))).toThrow(message);
  });
});

describe('push request and report', () => {
  const offered = new Set(['report-status', 'side-band-64k', 'atomic', 'quiet', 'ofs-delta']);

  it('sends each ref with the oid it expects, capabilities on the first, then the pack', () => {
    const pack = Buffer.from('PACK-BYTES');
    const request = receivePackRequest(
      [
        { ref: 'refs/heads/main', old: A, new: B },
        { ref: 'refs/for/main', old: '0'.repeat(40), new: B },
      ],
      pack,
      offered,
    );
    expect(request.toString()).toBe(
      [
        pktLine(`${A} ${B} refs/heads/main\0report-status side-band-64k quiet atomic agent=git/ferry\n`),
        pktLine(`${'0'.repeat(40)} ${B} refs/for/main\n`),
        FLUSH,
        'PACK-BYTES',
      ].join(''),
    );
  });

  it('asks for atomic only when several refs move', () => {
    const request = receivePackRequest(
      [{ ref: 'refs/heads/main', old: A, new: B }],
      Buffer.alloc(0),
      offered,
    );
    expect(request.toString()).not.toContain('atomic');
  });

  it('reads a side-banded report: accepted and rejected refs, and the remote messages', () => {
    const report = Buffer.concat([
      pktLine('unpack ok\n'),
      pktLine('ok refs/heads/main\n'),
      pktLine('ng refs/heads/auto pre-receive hook declined\n'),
      FLUSH,
    ]);
    const response = Buffer.concat([band(2, 'remote: protected branch\n'), band(1, report), FLUSH]);
    const parsed = parseReceivePackResponse(response, true);
    expect(parsed.unpack).toBe('ok');
    expect([...parsed.rejected]).toEqual([['refs/heads/auto', 'pre-receive hook declined']]);
    expect(parsed.messages).toEqual(['remote: protected branch']);
  });

  it('refuses a report without an unpack status', () => {
    expect(() =>
      parseReceivePackResponse(Buffer.concat([pktLine('ok refs/heads/main\n'), FLUSH]), false),
    ).toThrow(GitProtocolError);
  });
});
