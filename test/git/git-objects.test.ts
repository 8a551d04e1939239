import { describe, expect, it } from 'vitest';
import type { TreeEntry } from '../../lib/git/git-objects.ts';
import {
  hashObject,
  parseCommit,
  parseTree,
  serializeCommit,
  serializeTree,
} from '../../lib/git/git-objects.ts';

const OID = (n: number) => n.toString(16).padStart(40, '0');

describe('git objects', () => {
  it.each([
    ['the empty blob', 'blob', '', 'e69de29bb2d1d6434b8b29ae775ad8c2e48c5391'],
    ['a blob', 'blob', 'hello\n', 'ce013625030ba8dba906f756967f9e9ca394464a'],
    ['the empty tree', 'tree', '', '4b825dc642cb6eb9a060e54bf8d69288fbee4904'],
  ] as const)('hashes %s as git does', (_label, type, content, sha) => {
    expect(hashObject(type, Buffer.from(content))).toBe(sha);
  });

  it.each<[string, TreeEntry[], string[]]>([
    [
      'by name bytes',
      [
        { mode: '100644', name: 'b', oid: OID(1) },
        { mode: '100644', name: 'a', oid: OID(2) },
        { mode: '100644', name: 'B', oid: OID(3) },
      ],
      ['B', 'a', 'b'],
    ],
    [
      'a subtree as if its name ended in "/"',
      [
        { mode: '40000', name: 'foo', oid: OID(1) },
        { mode: '100644', name: 'foo.txt', oid: OID(2) },
        { mode: '100644', name: 'foo-bar', oid: OID(3) },
      ],
      ['foo-bar', 'foo.txt', 'foo'],
    ],
    [
      'non-ASCII names by UTF-8 bytes',
      [
        { mode: '100644', name: 'é.yaml', oid: OID(1) },
        { mode: '100644', name: 'z.yaml', oid: OID(2) },
      ],
      ['z.yaml', 'é.yaml'],
    ],
  ])('orders tree entries %s', (_label, entries, order) => {
    const parsed = parseTree(serializeTree(entries));
    expect(parsed.map((entry) => entry.name)).toEqual(order);
    expect(new Set(parsed)).toEqual(new Set(entries));
  });

  it('writes the tree git writes for a file and a subtree', () => {
    const blob = hashObject('blob', Buffer.from('hello\n'));
    const sub = hashObject('tree', serializeTree([{ mode: '100644', name: 'a.txt', oid: blob }]));
    const root = serializeTree([
      { mode: '40000', name: 'dir', oid: sub },
      { mode: '100755', name: 'run.sh', oid: blob },
    ]);
    // `git mktree` on the same entries.
    expect(hashObject('tree', root)).toBe('09a3e54c3305a08aab9977334047314a219b78d0');
  });

  it.each([
    ['UTC', 0, '+0000'],
    ['UTC+2 (getTimezoneOffset -120)', -120, '+0200'],
    ['UTC-5:30', 330, '-0530'],
  ])('writes the %s offset as %s', (_label, timezoneOffset, written) => {
    const signature = {
      name: 'Ferry Bot',
      email: 'bot@ferry.invalid',
      timestamp: 1_714_651_200,
      timezoneOffset,
    };
    const data = serializeCommit({
      tree: OID(7),
      parents: [OID(8)],
      author: signature,
      committer: signature,
      message: 'm',
    });
    expect(data.toString()).toBe(
      [
        `tree ${OID(7)}`,
        `parent ${OID(8)}`,
        `author Ferry Bot <bot@ferry.invalid> 1714651200 ${written}`,
        `committer Ferry Bot <bot@ferry.invalid> 1714651200 ${written}`,
        '',
        'm',
        '',
      ].join('\n'),
    );
    expect(parseCommit(data)).toEqual({ tree: OID(7), parents: [OID(8)] });
  });

  it('drops angle brackets and newlines from identities rather than break the header', () => {
    const signature = { name: 'Evil <x>\nparent 0', email: 'a@b', timestamp: 1, timezoneOffset: 0 };
    const data = serializeCommit({
      tree: OID(1),
      parents: [],
      author: signature,
      committer: signature,
      message: 'x\n',
    });
    expect(parseCommit(data)).toEqual({ tree: OID(1), parents: [] });
    expect(data.toString()).toContain('author Evil xparent 0 <a@b> 1 +0000\n');
  });
});
