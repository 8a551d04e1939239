/**
 * An artifact as ferry holds it: a virtual tree of files (repository-relative paths with `/`), never a
 * directory on disk. The build reads manifests out of it; nothing else needs more than these calls.
 */
export interface FileTree {
  readonly size: number;
  /** The file's bytes, or undefined when the tree has no such file. */
  read(path: string): Uint8Array | undefined;
  /** Every file path under `prefix` (a directory; all when omitted), sorted. */
  list(prefix?: string): string[];
}

/** A FileTree over a map of path → bytes. */
export function fileTreeOf(files: ReadonlyMap<string, Uint8Array>): FileTree {
  const sorted = [...files.keys()].sort();
  return {
    size: files.size,
    read: (path) => files.get(path),
    list(prefix = '') {
      const clean = prefix.replace(/^\.?\/+|\/+$/g, '');
      if (clean === '' || clean === '.') return [...sorted];
      return sorted.filter((path) => path === clean || path.startsWith(`${clean}/`));
    },
  };
}
