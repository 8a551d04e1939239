/**
 * Reads a GitRepository artifact out of the object cache as a FileTree: only the directories under the
 * paths asked for (the Kustomizations' `spec.path`s) and the trees leading to them are read, ignore
 * rules applied as the walk goes so an excluded directory is never entered. Included repositories are
 * read the same way under their own rules, `fromPath` placed at `toPath`. The artifact's revision is
 * the main repository's; an include only contributes files (Flux lists it under
 * `status.includedArtifacts`).
 */
import type { DirectoryEntry, GitRepository } from '../git/index.ts';
import { GitPathNotFoundError, normalizeTreePath } from '../git/index.ts';
import type { FileTree } from './file-tree.ts';
import { fileTreeOf } from './file-tree.ts';
import type { IgnoreRule } from './ignore-rules.ts';
import { baseIgnoreRules, IGNORE_FILE, isIgnored, matchesIgnore, parseIgnoreRules } from './ignore-rules.ts';

/** One repository at one commit, with its `spec.ignore`. */
export type ArtifactSource = { repo: GitRepository; commit: string; ignore?: string | undefined };

/** `spec.include[]` with the included GitRepository already resolved to a commit. */
export type ArtifactInclude = ArtifactSource & {
  /** The directory of the included artifact to take; all of it by default. */
  fromPath?: string | undefined;
  /** Where it goes in this artifact; Flux's default is the included GitRepository's name. */
  toPath: string;
};

export type ReadArtifactOptions = ArtifactSource & {
  /** Directories (or files) to read; the whole tree when omitted. */
  paths?: readonly string[] | undefined;
  /** Paths that may be absent without failing the read: the build says what is missing, and where. */
  optionalPaths?: readonly string[] | undefined;
  include?: readonly ArtifactInclude[] | undefined;
};

/** A file or directory read: the repository's URL (without credentials) and the path in it. */
export type ReadLocation = { url: string; path: string };

export type ArtifactRead = {
  tree: FileTree;
  /** Every blob read (`.sourceignore` files included), in reading order. */
  filesRead: ReadLocation[];
  /** Every directory listed (`''` the root). */
  directoriesRead: ReadLocation[];
};

/** Files and directories read so far, across the main and included repositories. */
type ReadLog = Omit<ArtifactRead, 'tree'>;

export async function readArtifact(options: ReadArtifactOptions): Promise<ArtifactRead> {
  const files = new Map<string, Uint8Array>();
  const log: ReadLog = { filesRead: [], directoriesRead: [] };
  const maybe = (options.optionalPaths ?? []).map(normalizeTreePath);
  const paths = [...(options.paths ?? ['']), ...maybe].map(normalizeTreePath);
  const mounts = (options.include ?? []).map((include) => normalizeTreePath(include.toPath));
  // A path into or above an include need not exist in the main repository.
  const optional = (path: string) =>
    maybe.includes(path) || mounts.some((toPath) => within(path, toPath) || within(toPath, path));
  const main = sourceReader(options, log);
  await main.readPaths(paths, (path) => path, files, optional);
  for (const include of options.include ?? []) {
    const toPath = normalizeTreePath(include.toPath);
    const fromPath = normalizeTreePath(include.fromPath ?? '');
    const wanted = includedPaths(paths, toPath, fromPath);
    if (wanted.length === 0) continue;
    const included = new Map<string, Uint8Array>();
    const place = (path: string) => join(toPath, relative(fromPath, path));
    await sourceReader(include, log).readPaths(wanted, place, included);
    // Flux copies includes in over the checkout (an included file wins) and then builds the
    // artifact, so the main repository's rules apply to them as well.
    for (const [path, bytes] of included) if (!(await main.excludes(path))) files.set(path, bytes);
  }
  return { tree: fileTreeOf(files), ...log };
}

/**
 * The paths of an included repository that fall under the requested ones: a request above `toPath`
 * takes all of `fromPath`, one below it narrows into it.
 */
function includedPaths(paths: readonly string[], toPath: string, fromPath: string): string[] {
  const found = new Set<string>();
  for (const path of paths) {
    if (within(toPath, path)) found.add(fromPath);
    else if (within(path, toPath)) found.add(join(fromPath, relative(toPath, path)));
  }
  return [...found];
}

/**
 * Reads one repository at one commit, each directory listed and each blob read at most once. Rules
 * match repository paths: an included repository's artifact is built from its own root.
 */
function sourceReader(source: ArtifactSource, read: ReadLog) {
  const { repo, commit } = source;
  const { url } = repo;
  const spec = source.ignore === undefined ? [] : parseIgnoreRules(source.ignore);
  const base = baseIgnoreRules(source.ignore);
  const ignored = (rules: IgnoreRule[], path: string, isDirectory: boolean) =>
    matchesIgnore([...base, ...rules, ...spec], path, isDirectory);

  const listed = new Map<string, Promise<DirectoryEntry[]>>();
  const list = (dir: string, tree?: string) => {
    let entries = listed.get(dir);
    if (!entries) {
      read.directoriesRead.push({ url, path: dir });
      entries = tree ? repo.readDirectory(tree) : repo.listDirectory(commit, dir);
      listed.set(dir, entries);
    }
    return entries;
  };
  const blobs = new Map<string, Promise<Uint8Array>>();
  const readBlob = (path: string, oid: string) => {
    let bytes = blobs.get(oid);
    if (!bytes) {
      read.filesRead.push({ url, path });
      bytes = repo.readBlob(oid);
      blobs.set(oid, bytes);
    }
    return bytes;
  };
  const ignoreFiles = new Map<string, Promise<IgnoreRule[]>>();
  /** `rules` plus those of the `.sourceignore` in `dir`, which apply below `dir`. */
  const withIgnoreFile = async (dir: string, entries: DirectoryEntry[], rules: IgnoreRule[]) => {
    let own = ignoreFiles.get(dir);
    if (!own) {
      const file = entries.find((entry) => entry.kind === 'file' && entry.name === IGNORE_FILE);
      own = file
        ? readBlob(join(dir, IGNORE_FILE), file.oid).then((bytes) =>
            parseIgnoreRules(Buffer.from(bytes).toString('utf8'), dir),
          )
        : Promise.resolve([]);
      ignoreFiles.set(dir, own);
    }
    return [...rules, ...(await own)];
  };

  /**
   * Down the trees leading to `path`: the rules gathered on the way (each `.sourceignore` applies
   * below its directory), and the last directory reached with its entries. `blocked` when a
   * directory on the way is excluded, `missing` when the path runs out of the tree.
   */
  const descend = async (path: string) => {
    let dir = '';
    let entries = await list('');
    let rules = await withIgnoreFile('', entries, []);
    const segments = path === '' ? [] : path.split('/');
    for (const [index, segment] of segments.entries()) {
      const next = entries.find((entry) => entry.name === segment);
      const last = index === segments.length - 1;
      if (!next || (next.kind === 'file' && !last))
        return { outcome: 'missing' as const, dir, entries, rules };
      const nextPath = join(dir, segment);
      if (ignored(rules, nextPath, next.kind === 'tree'))
        return { outcome: 'blocked' as const, dir, entries, rules };
      if (next.kind === 'file') return { outcome: 'file' as const, dir, entries, rules, file: next };
      dir = nextPath;
      entries = await list(dir, next.oid);
      rules = await withIgnoreFile(dir, entries, rules);
    }
    return { outcome: 'directory' as const, dir, entries, rules };
  };

  return {
    /** Reads `paths` into `files` at `place(path)`; a missing path fails unless `optional`. */
    async readPaths(
      paths: readonly string[],
      place: (path: string) => string,
      files: Map<string, Uint8Array>,
      optional: (path: string) => boolean = () => false,
    ): Promise<void> {
      const walk = async (dir: string, entries: DirectoryEntry[], rules: IgnoreRule[]): Promise<void> => {
        for (const entry of entries) {
          const path = join(dir, entry.name);
          if (ignored(rules, path, entry.kind === 'tree')) continue;
          if (entry.kind === 'file') files.set(place(path), await readBlob(path, entry.oid));
          else {
            const children = await list(path, entry.oid);
            await walk(path, children, await withIgnoreFile(path, children, rules));
          }
        }
      };
      for (const path of paths) {
        const reached = await descend(path);
        if (reached.outcome === 'missing' && !optional(path)) {
          throw new GitPathNotFoundError(`${path} is not in commit ${commit} of ${url}`, {
            data: { url, commit, path },
          });
        }
        if (reached.outcome === 'file') files.set(place(path), await readBlob(path, reached.file.oid));
        if (reached.outcome === 'directory') await walk(reached.dir, reached.entries, reached.rules);
      }
    },

    /** Whether this repository's rules leave out `path`, reading the trees along it that exist. */
    async excludes(path: string): Promise<boolean> {
      const { outcome, rules } = await descend(path);
      return outcome === 'blocked' || isIgnored([...base, ...rules, ...spec], path);
    },
  };
}

function within(path: string, dir: string): boolean {
  return dir === '' || path === dir || path.startsWith(`${dir}/`);
}

function join(dir: string, name: string): string {
  if (dir === '') return name;
  return name === '' ? dir : `${dir}/${name}`;
}

function relative(base: string, path: string): string {
  if (base === '') return path;
  return path === base ? '' : path.slice(base.length + 1);
}
