/**
 * Protocol v2 framing, byte for byte as `git http-backend` sends and expects it (the shapes were read
 * off the real server in test/git/fetch-ref.test.ts): the capability advertisement, ls-refs with
 * ref-prefix and peeled tags, and the sectioned fetch response with its delimiters.
 */
import { describe, expect, it } from 'vitest';
import { GitProtocolError } from '../../lib/git/git-errors.ts';
import { writePack } from '../../lib/git/pack-writer.ts';
import { FLUSH, pktLine, readPktLines } from '../../lib/git/pkt-line.ts';
import {
  DELIM,
  fetchRequestV2,
  isV2Advertisement,
  lsRefsRequest,
  parseFetchResponseV2,
  parseLsRefs,
  parseV2Capabilities,
} from '../../lib/git/protocol-v2.ts';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const C = 'c'.repeat(40);
const band = (n: number, data: Buffer) => pktLine(Buffer.concat([Buffer.from([n]), data]));

const advertisement = Buffer.concat(
  [
    'version 2\n',
    'agent=git/2.39.5\n',
    'ls-refs=unborn\n',
    'fetch=shallow wait-for-done filter\n',
    'object-info\n',
  ]
    .map((line) => pktLine(line))
    .concat(FLUSH),
);

describe('protocol v2', () => {
  it('reads delimiter and response-end packets as boundaries', () => {
    const raw = Buffer.concat([pktLine('a'), DELIM, pktLine('b'), Buffer.from('0002'), FLUSH]);
    expect([...readPktLines(raw)].map((l) => l.kind)).toEqual(['data', 'flush', 'data', 'flush', 'flush']);
    expect(() => [...readPktLines(Buffer.from('0003'))]).toThrow(GitProtocolError);
  });

  it('tells a v2 capability advertisement from a v0 ref advertisement', () => {
    expect(isV2Advertisement(advertisement)).toBe(true);
    const v0 = Buffer.concat([
      pktLine('# service=git-upload-pack\n'),
      FLUSH,
      pktLine(`${A} HEAD\0ofs-delta\n`),
    ]);
    expect(isV2Advertisement(v0)).toBe(false);
    expect(parseV2Capabilities(advertisement)).toEqual(
      new Map([
        ['agent', 'git/2.39.5'],
        ['ls-refs', 'unborn'],
        ['fetch', 'shallow wait-for-done filter'],
        ['object-info', ''],
      ]),
    );
  });

  it('asks ls-refs for peeled refs under the prefixes', () => {
    expect(lsRefsRequest(['refs/tags/', 'refs/heads/main']).toString()).toBe(
      '0014command=ls-refs\n0014agent=git/ferry\n00010009peel\n001aref-prefix refs/tags/\n001fref-prefix refs/heads/main\n0000',
    );
  });

  it('reads refs and the commits annotated tags peel to', () => {
    const raw = Buffer.concat([
      pktLine(`${A} refs/heads/main\n`),
      pktLine(`${B} refs/tags/v1.0.0 peeled:${C}\n`),
      FLUSH,
    ]);
    expect(parseLsRefs(raw)).toEqual({
      refs: new Map([
        ['refs/heads/main', A],
        ['refs/tags/v1.0.0', B],
      ]),
      peeled: new Map([['refs/tags/v1.0.0', C]]),
    });
  });

  it('writes a fetch with done, the depth only when the server offers shallow', () => {
    const request = { want: A, haves: [B], shallow: [C], depth: 1, serverCapabilities: new Set(['shallow']) };
    expect(fetchRequestV2(request).toString()).toBe(
      [
        '0012command=fetch\n',
        '0014agent=git/ferry\n',
        '0001',
        '000eofs-delta\n',
        '0010no-progress\n',
        `0035shallow ${C}\n`,
        '000ddeepen 1\n',
        `0032want ${A}\n`,
        `0032have ${B}\n`,
        '0009done\n',
        '0000',
      ].join(''),
    );
    const plain = fetchRequestV2({ ...request, serverCapabilities: new Set() }).toString();
    expect(plain).not.toContain('deepen');
    expect(plain).not.toContain('shallow');
  });

  it('reads the shallow-info and packfile sections of a fetch response', () => {
    const pack = writePack([{ type: 'blob', data: Buffer.from('hello\n') }]);
    const raw = Buffer.concat([
      pktLine('shallow-info\n'),
      pktLine(`shallow ${A}`),
      pktLine(`unshallow ${B}`),
      DELIM,
      pktLine('packfile\n'),
      band(2, Buffer.from('progress\n')),
      band(1, pack.subarray(0, 10)),
      band(1, pack.subarray(10)),
      FLUSH,
    ]);
    expect(parseFetchResponseV2(raw)).toEqual({ pack, shallow: [A], unshallow: [B] });
  });

  it('marks an ERR line as the remote refusing the fetch', () => {
    const error = (() => {
      try {
        parseFetchResponseV2(pktLine('ERR upload-pack: not our ref aaaa'));
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(GitProtocolError);
    expect((error as GitProtocolError).data).toEqual({ refused: true });
  });
});
