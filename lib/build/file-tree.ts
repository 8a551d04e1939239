/**
 * The files a build reads, by repository-relative path with `/` separators. A build never touches
 * the disk: the caller hands it a tree read from git or from a directory. A tree's contents must not
 * change once built on: parsed files are kept per tree.
 */
export interface FileTree {
  /** The bytes of a file, or undefined when there is no file at that path. */
  read(path: string): Uint8Array | undefined;
  /** The names of the direct entries of a directory (files and directories), or undefined when there is none. */
  list(dir: string): { files: string[]; dirs: string[] } | undefined;
}

/** A FileTree over a map of repository-relative paths to contents. */
export function treeFromMap(files: ReadonlyMap<string, Uint8Array>): FileTree {
  const dirs = new Map<string, { files: Set<string>; dirs: Set<string> }>();
  const entry = (dir: string) => {
    let found = dirs.get(dir);
    if (!found) {
      found = { files: new Set(), dirs: new Set() };
      dirs.set(dir, found);
    }
    return found;
  };
  entry('');
  for (const raw of files.keys()) {
    const path = normalizePath(raw);
    const parts = path.split('/');
    for (let i = 0; i < parts.length; i++) {
      const parent = parts.slice(0, i).join('/');
      const name = parts[i] as string;
      if (i === parts.length - 1) entry(parent).files.add(name);
      else entry(parent).dirs.add(name);
    }
  }
  const byPath = new Map([...files].map(([path, bytes]) => [normalizePath(path), bytes]));
  return {
    read: (path) => byPath.get(normalizePath(path)),
    list: (dir) => {
      const found = dirs.get(normalizePath(dir));
      return found && { files: [...found.files].sort(), dirs: [...found.dirs].sort() };
    },
  };
}

/** `a/./b/../c/` → `a/c`; the root is the empty string. Leaving the root is refused by the caller. */
export function normalizePath(path: string): string {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length === 0 || out[out.length - 1] === '..') out.push('..');
      else out.pop();
    } else out.push(part);
  }
  return out.join('/');
}

/** A path relative to a directory, normalized. */
export function joinPath(dir: string, path: string): string {
  return normalizePath(path.startsWith('/') ? path : `${dir}/${path}`);
}
