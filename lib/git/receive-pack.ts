/**
 * The push side of the protocol (`git-receive-pack`, v0): ref update commands, each carrying the old oid
 * we expect (the remote applies it as a compare-and-swap, so a push racing another fails instead of
 * overwriting it), then a pack; the answer is a `report-status` per ref.
 */
import { GitProtocolError } from './git-errors.ts';
import { FLUSH, pktLine, pktText, readPktLines, sideBand } from './pkt-line.ts';

export const ZERO_OID = '0'.repeat(40);

export type RefUpdate = { ref: string; old: string; new: string };

export type PushReport = {
  /** `ok`, or the reason the remote could not unpack what we sent. */
  unpack: string;
  /** Per ref: undefined when it was updated, else the remote's reason. */
  rejected: Map<string, string>;
  /** Side-band 2: hook output and the remote's own error lines. */
  messages: string[];
};

export function receivePackRequest(
  updates: readonly RefUpdate[],
  pack: Buffer,
  serverCapabilities: ReadonlySet<string>,
): Buffer {
  if (!serverCapabilities.has('report-status'))
    throw new GitProtocolError('the remote does not offer report-status');
  const wanted = ['report-status', 'side-band-64k', 'quiet'];
  // Several refs land together or not at all, so a half-applied push never needs undoing.
  if (updates.length > 1) wanted.push('atomic');
  const caps = [...wanted.filter((cap) => serverCapabilities.has(cap)), 'agent=git/ferry'];
  const lines = updates.map((update, i) =>
    pktLine(`${update.old} ${update.new} ${update.ref}${i === 0 ? `\0${caps.join(' ')}` : ''}\n`),
  );
  return Buffer.concat([...lines, FLUSH, pack]);
}

export function parseReceivePackResponse(data: Buffer, sideBanded: boolean): PushReport {
  const messages: string[] = [];
  let status = data;
  if (sideBanded) {
    const payloads: Buffer[] = [];
    for (const line of readPktLines(data)) if (line.kind === 'data') payloads.push(line.payload);
    status = sideBand(payloads, messages);
  }
  let unpack: string | undefined;
  const rejected = new Map<string, string>();
  for (const line of readPktLines(status)) {
    if (line.kind === 'flush') continue;
    const text = pktText(line.payload);
    if (text.startsWith('unpack ')) unpack = text.slice(7);
    else if (text.startsWith('ng ')) {
      const rest = text.slice(3);
      const space = rest.indexOf(' ');
      rejected.set(space < 0 ? rest : rest.slice(0, space), space < 0 ? 'rejected' : rest.slice(space + 1));
    } else if (!text.startsWith('ok ')) {
      throw new GitProtocolError('unexpected line in the push report', { data: { line: text.slice(0, 80) } });
    }
  }
  if (unpack === undefined) throw new GitProtocolError('the push report has no unpack status');
  return {
    unpack,
    rejected,
    messages: messages.flatMap((m) => m.split('\n')).filter((m) => m.trim() !== ''),
  };
}
