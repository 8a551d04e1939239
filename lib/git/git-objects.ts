/**
 * git's object formats: trees and commits parsed and written byte for byte as git does, so an object we
 * write hashes to the SHA the git CLI gives the same content. Pure: no I/O.
 */
import { createHash } from 'node:crypto';

export type ObjectType = 'commit' | 'tree' | 'blob' | 'tag';
export type GitObject = { type: ObjectType; data: Buffer };

/** A tree entry; `mode` as git writes it (`100644`, `100755`, `120000`, `160000`, `40000`). */
export type TreeEntry = { mode: string; name: string; oid: string };

export const TREE_MODE = '40000';
export const FILE_MODE = '100644';

/** The identity and time on a commit. `timezoneOffset` follows `Date#getTimezoneOffset`: -120 is UTC+2. */
export type Signature = { name: string; email: string; timestamp: number; timezoneOffset: number };

export type CommitFields = {
  tree: string;
  parents: string[];
  author: Signature;
  committer: Signature;
  message: string;
};

export function hashObject(type: ObjectType, data: Uint8Array): string {
  return createHash('sha1').update(`${type} ${data.length}\0`).update(data).digest('hex');
}

export function isTree(entry: TreeEntry): boolean {
  return entry.mode === TREE_MODE;
}

export function parseTree(data: Buffer): TreeEntry[] {
  const entries: TreeEntry[] = [];
  let at = 0;
  while (at < data.length) {
    const space = data.indexOf(0x20, at);
    const nul = data.indexOf(0, space);
    if (space < 0 || nul < 0 || nul + 21 > data.length) throw new Error('malformed tree object');
    entries.push({
      mode: data.toString('latin1', at, space),
      name: data.toString('utf8', space + 1, nul),
      oid: data.toString('hex', nul + 1, nul + 21),
    });
    at = nul + 21;
  }
  return entries;
}

/** Serialises entries in git's order: by name bytes, a subtree sorting as if its name ended in `/`. */
export function serializeTree(entries: readonly TreeEntry[]): Buffer {
  const keyed = entries.map((entry) => ({
    entry,
    key: Buffer.from(isTree(entry) ? `${entry.name}/` : entry.name, 'utf8'),
  }));
  keyed.sort((a, b) => Buffer.compare(a.key, b.key));
  const parts: Buffer[] = [];
  for (const { entry } of keyed) {
    parts.push(Buffer.from(`${entry.mode} ${entry.name}\0`, 'utf8'), Buffer.from(entry.oid, 'hex'));
  }
  return Buffer.concat(parts);
}

/** The tree and parents of a commit: all the git layer needs to walk history and trees. */
export function parseCommit(data: Buffer): { tree: string; parents: string[] } {
  const headerEnd = data.indexOf('\n\n');
  const header = data.toString('utf8', 0, headerEnd < 0 ? data.length : headerEnd);
  let tree: string | undefined;
  const parents: string[] = [];
  for (const line of header.split('\n')) {
    if (line.startsWith('tree ')) tree = line.slice(5);
    else if (line.startsWith('parent ')) parents.push(line.slice(7));
  }
  if (!tree) throw new Error('malformed commit object: no tree');
  return { tree, parents };
}

/** A commit as `git commit` writes it; the message gets the trailing newline git would give it. */
export function serializeCommit(commit: CommitFields): Buffer {
  const lines = [`tree ${commit.tree}`];
  for (const parent of commit.parents) lines.push(`parent ${parent}`);
  lines.push(`author ${formatSignature(commit.author)}`, `committer ${formatSignature(commit.committer)}`);
  const message = commit.message.endsWith('\n') ? commit.message : `${commit.message}\n`;
  return Buffer.from(`${lines.join('\n')}\n\n${message}`, 'utf8');
}

function formatSignature(signature: Signature): string {
  // git drops these from identities rather than let them break the header line.
  const clean = (value: string) => value.replace(/[<>\n]/g, '').trim();
  return `${clean(signature.name)} <${clean(signature.email)}> ${Math.floor(signature.timestamp)} ${formatTimezone(signature.timezoneOffset)}`;
}

function formatTimezone(offset: number): string {
  const east = -offset;
  const sign = east >= 0 ? '+' : '-';
  const minutes = Math.abs(east);
  return `${sign}${String(Math.floor(minutes / 60)).padStart(2, '0')}${String(minutes % 60).padStart(2, '0')}`;
}
