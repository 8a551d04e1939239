/**
 * Packs against the git CLI: the index ferry builds for a pack must be the one `git index-pack` builds,
 * ferry must read every object of packs git wrote (offset and ref deltas), and git must accept the packs
 * ferry writes.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GitObject } from '../../lib/git/git-objects.ts';
import { hashObject } from '../../lib/git/git-objects.ts';
import { PackFile } from '../../lib/git/pack-file.ts';
import { indexPack } from '../../lib/git/pack-indexer.ts';
import { writePack } from '../../lib/git/pack-writer.ts';
import { git } from '../support/git-server.ts';
import { makeTempDir, removeTempDir } from '../support/processes.ts';

const env = {
  GIT_AUTHOR_NAME: 'Ferry Test',
  GIT_AUTHOR_EMAIL: 'test@ferry.invalid',
  GIT_COMMITTER_NAME: 'Ferry Test',
  GIT_COMMITTER_EMAIL: 'test@ferry.invalid',
  GIT_AUTHOR_DATE: '2024-01-01T00:00:00Z',
  GIT_COMMITTER_DATE: '2024-01-01T00:00:00Z',
};

let work: string;
let repo: string;
let oids: string[];

/** Every object of `repo`, as `git cat-file --batch` prints them. */
async function catFiles(wanted: string[]): Promise<Map<string, GitObject>> {
  const out = (await git(['-C', repo, 'cat-file', '--batch'], { input: `${wanted.join('\n')}\n` })).stdout;
  const objects = new Map<string, GitObject>();
  let at = 0;
  while (at < out.length) {
    const newline = out.indexOf(10, at);
    const [oid = '', type = '', size = '0'] = out.toString('latin1', at, newline).split(' ');
    const data = out.subarray(newline + 1, newline + 1 + Number(size));
    objects.set(oid, { type: type as GitObject['type'], data: Buffer.from(data) });
    at = newline + 1 + Number(size) + 1;
  }
  return objects;
}

/** A pack of every object, as git writes it; `--delta-base-offset` chooses offset over ref deltas. */
async function gitPack(offsetDeltas: boolean): Promise<Buffer> {
  const args = ['-C', repo, 'pack-objects', '--stdout', '--revs', '--all', '--window=50', '--depth=50'];
  if (offsetDeltas) args.push('--delta-base-offset');
  return (await git(args, { input: '' })).stdout;
}

beforeAll(async () => {
  work = await makeTempDir('ferry-pack-test-');
  repo = join(work, 'repo');
  await git(['init', '--quiet', '--initial-branch=main', repo]);
  // Similar manifests over a few commits, so git deltifies blobs and trees against each other.
  for (let round = 0; round < 3; round++) {
    for (let i = 0; i < 20; i++) {
      await mkdir(join(repo, 'apps', `app-${i}`), { recursive: true });
      const body = `kind: Deployment\nname: app-${i}\nimage: registry.example.com/app-${i}:1.0.${round}\n`;
      await writeFile(join(repo, 'apps', `app-${i}`, 'deployment.yaml'), body.repeat(8));
    }
    await git(['-C', repo, 'add', '-A']);
    await git(['-C', repo, 'commit', '--quiet', '-m', `round ${round}`], { env });
  }
  oids = (await git(['-C', repo, 'rev-list', '--objects', '--all'])).stdout
    .toString()
    .trim()
    .split('\n')
    .map((line) => line.slice(0, 40));
});

afterAll(async () => {
  await removeTempDir(work);
});

describe('pack index', () => {
  it.each([
    ['offset deltas', true],
    ['ref deltas', false],
  ])('builds the index git index-pack builds, for a pack with %s', async (_label, offsetDeltas) => {
    const pack = await gitPack(offsetDeltas);
    const packPath = join(work, `ours-${offsetDeltas}.pack`);
    await writeFile(packPath, pack);
    await git(['index-pack', packPath]);
    const theirs = await readFile(packPath.replace(/\.pack$/, '.idx'));

    const indexed = indexPack(pack);
    expect(indexed.idx.equals(theirs)).toBe(true);
    expect(new Set(indexed.oids)).toEqual(new Set(oids));
  });

  it.each([
    ['offset deltas', true],
    ['ref deltas', false],
  ])(
    'reads every object of a git pack with %s, from the pack and from its raw objects',
    async (_label, offsetDeltas) => {
      const pack = await gitPack(offsetDeltas);
      const { idx, raw } = indexPack(pack);
      const fromPack = new PackFile('pack', idx, { pack });
      const fromRaw = new PackFile('raw', idx, { raw: raw! });
      const objects = await catFiles(oids);
      expect(objects.size).toBe(oids.length);
      for (const [oid, expected] of objects) {
        expect(fromPack.read(oid)).toEqual(expected);
        expect(fromRaw.read(oid)).toEqual(expected);
      }
      expect(fromPack.read('0'.repeat(40))).toBeUndefined();
      expect(fromRaw.has('f'.repeat(40))).toBe(false);
    },
  );

  it('refuses a corrupt pack', () => {
    const pack = writePack([{ type: 'blob', data: Buffer.from('x') }]);
    pack.writeUInt8(pack.readUInt8(20) ^ 0xff, 20);
    expect(() => indexPack(pack)).toThrow(/checksum/);
  });
});

describe('pack writer', () => {
  it('writes packs git accepts, objects and oids intact', async () => {
    const objects: GitObject[] = [
      { type: 'blob', data: Buffer.from('hello\n') },
      { type: 'blob', data: Buffer.alloc(70_000, 'y') },
      { type: 'blob', data: Buffer.alloc(0) },
    ];
    const pack = writePack(objects);
    const packPath = join(work, 'written.pack');
    await writeFile(packPath, pack);
    await git(['index-pack', packPath]);
    const verified = (await git(['verify-pack', '-v', packPath])).stdout.toString();
    for (const object of objects) expect(verified).toContain(hashObject(object.type, object.data));

    const { idx } = indexPack(pack);
    const reader = new PackFile('written', idx, { pack });
    for (const object of objects) expect(reader.read(hashObject(object.type, object.data))).toEqual(object);
  });

  it('writes a thin pack whose ref-deltas git resolves against the bases it has', async () => {
    const oid = (await git(['-C', repo, 'rev-parse', 'HEAD:apps/app-0/deployment.yaml'])).stdout
      .toString()
      .trim();
    const base = (await catFiles([oid])).get(oid)!;
    const data = Buffer.concat([base.data.subarray(0, 20), Buffer.from('changed'), base.data.subarray(20)]);
    const target = { type: base.type, data };
    const pack = writePack([{ ...target, base: { oid, data: base.data } }]);
    expect(pack.length).toBeLessThan(target.data.length);
    const fixed = await git(['-C', repo, 'index-pack', '--stdin', '--fix-thin'], { input: pack });
    expect(fixed.stdout.toString()).toContain('pack');
    const read = await git(['-C', repo, 'cat-file', target.type, hashObject(target.type, target.data)]);
    expect(read.stdout.equals(target.data)).toBe(true);
  });
});
