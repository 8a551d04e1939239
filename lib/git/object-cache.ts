/**
 * The persistent object cache of one remote: a bare git directory (the git CLI can inspect it) that
 * holds no working tree, only packs. A fetch adds the pack the remote sent; a commit ferry writes adds
 * one pack of its new objects, marked local by a `.local` file beside it. That mark is what a push
 * relies on: local objects are the ones the remote may lack, everything else came from it. Beside a
 * pack whose objects fit RAW_LIMIT decompressed lies a `.raw` file of them, read instead of the pack.
 * Packs (or their raw objects) are read whole into memory when the cache opens or when a lookup misses
 * (another process may have fetched) and stay there for the life of the process; every file is written
 * under a temporary name and renamed, and the index last, so a crash leaves nothing torn and a pack
 * without its index is never opened.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { GitObjectMissingError } from './git-errors.ts';
import type { GitObject } from './git-objects.ts';
import { PackFile } from './pack-file.ts';
import { indexPack } from './pack-indexer.ts';
import { writePack } from './pack-writer.ts';

type CachedPack = { pack: PackFile; local: boolean };

const opened = new Map<string, Promise<ObjectCache>>();

export class ObjectCache {
  readonly dir: string;
  /** Largest first: most lookups land in the first (shallow clone) pack. */
  #packs: CachedPack[] = [];

  private constructor(dir: string) {
    this.dir = dir;
  }

  /**
   * Opens (creating when needed) the cache at `dir`. One instance per directory and process: every job
   * on a repository would otherwise read its packs back into memory, and the churn of those large
   * buffers alone grows a long-running process by megabytes a run. A directory removed under us is
   * set up again.
   */
  static async open(dir: string): Promise<ObjectCache> {
    const key = resolve(dir);
    let opening = opened.get(key);
    if (!opening) {
      const cache = new ObjectCache(key);
      opening = cache.#init().then(() => cache);
      opened.set(key, opening);
      opening.catch(() => opened.delete(key));
    }
    const cache = await opening;
    if (!existsSync(join(key, 'HEAD'))) await cache.reset();
    return cache;
  }

  get packCount(): number {
    return this.#packs.length;
  }

  /** How many objects the remote has sent us so far (the non-local packs). */
  get fetchedObjectCount(): number {
    return this.#packs.reduce((sum, { pack, local }) => sum + (local ? 0 : pack.count), 0);
  }

  has(oid: string): boolean {
    return this.#packs.some(({ pack }) => pack.has(oid));
  }

  /** Whether ferry wrote this object itself (it may not be on the remote yet). */
  isLocal(oid: string): boolean {
    return this.#packs.some(({ pack, local }) => local && pack.has(oid));
  }

  async read(oid: string): Promise<GitObject> {
    let found = this.#readPacked(oid);
    if (!found) {
      await this.#refreshPacks();
      found = this.#readPacked(oid);
    }
    if (!found)
      throw new GitObjectMissingError(`object ${oid} is not in the cache`, {
        data: { oid, cache: this.dir },
      });
    return found;
  }

  /** Adds objects ferry wrote, as one local pack. */
  async addLocal(objects: readonly GitObject[]): Promise<void> {
    if (objects.length > 0) await this.addPack(writePack(objects), true);
  }

  /** Indexes and adds a pack; returns how many objects it held. */
  async addPack(pack: Buffer, local = false): Promise<number> {
    const { idx, raw, checksum, oids } = indexPack(pack);
    const name = `pack-${checksum}`;
    const base = join(this.dir, 'objects', 'pack', name);
    await atomicWrite(`${base}.pack`, pack);
    if (raw) await atomicWrite(`${base}.raw`, raw);
    if (local) await atomicWrite(`${base}.local`, Buffer.alloc(0));
    await atomicWrite(`${base}.idx`, idx);
    if (!this.#packs.some(({ pack: p }) => p.name === name)) {
      this.#add(new PackFile(name, idx, raw ? { raw } : { pack }), local);
    }
    return oids.length;
  }

  /** A ref's oid (`refs/remotes/origin/main`), or undefined. */
  async readRef(name: string): Promise<string | undefined> {
    const text = await readFile(join(this.dir, name), 'utf8').catch(() => undefined);
    return text?.trim() || undefined;
  }

  async writeRef(name: string, oid: string): Promise<void> {
    const path = join(this.dir, name);
    await mkdir(dirname(path), { recursive: true });
    await atomicWrite(path, Buffer.from(`${oid}\n`));
  }

  /** The oids of every ref under `refs/` (the commits we know the remote had). */
  async refOids(): Promise<string[]> {
    const found: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) await walk(path);
        else if (!entry.name.includes('.tmp-')) {
          const oid = (await readFile(path, 'utf8')).trim();
          if (/^[0-9a-f]{40}$/.test(oid)) found.push(oid);
        }
      }
    };
    await walk(join(this.dir, 'refs'));
    return [...new Set(found)];
  }

  /** The commits whose parents the cache lacks (the `shallow` file, as git keeps it). */
  async shallow(): Promise<Set<string>> {
    const text = await readFile(join(this.dir, 'shallow'), 'utf8').catch(() => '');
    return new Set(text.split('\n').filter((line) => line !== ''));
  }

  async updateShallow(add: readonly string[], remove: readonly string[]): Promise<void> {
    if (add.length === 0 && remove.length === 0) return;
    const oids = await this.shallow();
    for (const oid of add) oids.add(oid);
    for (const oid of remove) oids.delete(oid);
    await atomicWrite(join(this.dir, 'shallow'), Buffer.from([...oids].map((oid) => `${oid}\n`).join('')));
  }

  /** Empties the cache; the next fetch starts again from a shallow clone. */
  async reset(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
    this.#packs = [];
    await this.#init();
  }

  async #init(): Promise<void> {
    await mkdir(join(this.dir, 'objects', 'pack'), { recursive: true });
    await mkdir(join(this.dir, 'refs', 'heads'), { recursive: true });
    if (!existsSync(join(this.dir, 'HEAD'))) {
      await atomicWrite(
        join(this.dir, 'config'),
        Buffer.from('[core]\n\trepositoryformatversion = 0\n\tbare = true\n'),
      );
      await atomicWrite(join(this.dir, 'HEAD'), Buffer.from('ref: refs/heads/main\n'));
    }
    await this.#refreshPacks();
  }

  async #refreshPacks(): Promise<void> {
    const dir = join(this.dir, 'objects', 'pack');
    const files = new Set(await readdir(dir));
    for (const file of files) {
      const match = /^(pack-[0-9a-f]{40})\.idx$/.exec(file);
      const name = match?.[1];
      if (!name || this.#packs.some(({ pack }) => pack.name === name)) continue;
      const source = files.has(`${name}.raw`) ? 'raw' : 'pack';
      const [idx, data] = await Promise.all([
        readFile(join(dir, file)),
        readFile(join(dir, `${name}.${source}`)),
      ]);
      this.#add(
        new PackFile(name, idx, source === 'raw' ? { raw: data } : { pack: data }),
        files.has(`${name}.local`),
      );
    }
  }

  #add(pack: PackFile, local: boolean): void {
    this.#packs.push({ pack, local });
    this.#packs.sort((a, b) => b.pack.count - a.pack.count);
  }

  #readPacked(oid: string): GitObject | undefined {
    for (const { pack } of this.#packs) {
      const found = pack.read(oid);
      if (found) return found;
    }
    return undefined;
  }
}

let temporaries = 0;

async function atomicWrite(path: string, data: Buffer): Promise<void> {
  const temp = `${path}.tmp-${process.pid}-${temporaries++}`;
  await writeFile(temp, data);
  await rename(temp, path);
}
