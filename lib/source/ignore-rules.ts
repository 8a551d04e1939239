/**
 * Which files a GitRepository artifact leaves out, as Flux decides it: gitignore-syntax rules from
 * `.sourceignore` files (each applying below its own directory) and from `spec.ignore`, over a default
 * list. The last rule that matches a path wins, a `!` rule re-includes, and a path under an excluded
 * directory stays excluded (the walk never enters it), as in git. Pure.
 *
 * Globs go to picomatch, which has gitignore's `*`, `?`, `[…]` and `**`; what gitignore adds on top —
 * negation, the directory-only `/` suffix, anchoring by a slash, a rule's own directory — is this
 * module's, since picomatch's negation means "not this glob", not "re-include after an exclude".
 */
import picomatch from 'picomatch';

export type IgnoreRule = {
  /** The line as written, for messages and tests. */
  source: string;
  /** A `!` rule: re-includes what an earlier rule excluded. */
  negate: boolean;
  /** A rule ending in `/` matches directories only. */
  directoryOnly: boolean;
  /** The directory whose `.sourceignore` holds the rule (`''` the root); it applies only below it. */
  domain: string;
  test: (relativePath: string) => boolean;
};

/** Always left out, whatever `spec.ignore` says: git's own files. */
export const VCS_EXCLUDES = ['.git/', '.gitignore', '.gitmodules', '.gitattributes'];

/** Left out unless `spec.ignore` is set, which replaces them: binaries, CI and tool configs. */
export const DEFAULT_EXCLUDES = [
  ...['*.jpg', '*.jpeg', '*.gif', '*.png', '*.wmv', '*.flv', '*.tar.gz', '*.zip'],
  ...['.github/', '.circleci/', '.travis.yml', '.gitlab-ci.yml', 'appveyor.yml', '.drone.yml'],
  ...['cloudbuild.yaml', 'codeship-services.yml', 'codeship-steps.yml'],
  ...['**/.goreleaser.yml', '**/.sops.yaml', '**/.flux.yaml'],
];

/** The file name Flux reads rules from in any directory of the repository. */
export const IGNORE_FILE = '.sourceignore';

const GLOB_OPTIONS = { dot: true, nobrace: true, noextglob: true } as const;

/** Parses gitignore-syntax text into rules scoped to `domain`; comments and blank lines are skipped. */
export function parseIgnoreRules(text: string, domain = ''): IgnoreRule[] {
  const rules: IgnoreRule[] = [];
  for (const line of text.split(/\r?\n/)) {
    const rule = parseLine(line, domain);
    if (rule) rules.push(rule);
  }
  return rules;
}

/** The rules an artifact starts from: git's files, then the defaults unless `spec.ignore` replaces them. */
export function baseIgnoreRules(specIgnore: string | undefined): IgnoreRule[] {
  const lines = specIgnore === undefined ? [...VCS_EXCLUDES, ...DEFAULT_EXCLUDES] : VCS_EXCLUDES;
  return parseIgnoreRules(lines.join('\n'));
}

/** Whether the last rule matching `path` (a file, or a directory when `isDirectory`) excludes it. */
export function matchesIgnore(rules: readonly IgnoreRule[], path: string, isDirectory: boolean): boolean {
  for (let index = rules.length - 1; index >= 0; index--) {
    const rule = rules[index] as IgnoreRule;
    if (rule.directoryOnly && !isDirectory) continue;
    const relative = relativeTo(rule.domain, path);
    if (relative !== undefined && rule.test(relative)) return !rule.negate;
  }
  return false;
}

/**
 * Whether `path` is left out, its directories considered first: once a directory is excluded,
 * nothing below it comes back.
 */
export function isIgnored(rules: readonly IgnoreRule[], path: string, isDirectory = false): boolean {
  const segments = path.split('/');
  for (let end = 1; end < segments.length; end++) {
    if (matchesIgnore(rules, segments.slice(0, end).join('/'), true)) return true;
  }
  return matchesIgnore(rules, path, isDirectory);
}

function parseLine(line: string, domain: string): IgnoreRule | undefined {
  // Trailing spaces are dropped unless escaped with a backslash.
  let pattern = line.replace(/(?<!\\)\s+$/, '');
  if (pattern === '' || pattern.startsWith('#')) return undefined;
  const source = pattern;
  const negate = pattern.startsWith('!');
  if (negate) pattern = pattern.slice(1);
  else if (pattern.startsWith('\\#') || pattern.startsWith('\\!')) pattern = pattern.slice(1);
  const directoryOnly = pattern.endsWith('/');
  if (directoryOnly) pattern = pattern.replace(/\/+$/, '');
  if (pattern === '') return undefined;
  // A slash at the start or in the middle anchors the pattern to its directory; otherwise it matches
  // a name at any depth below it.
  const anchored = pattern.includes('/');
  const glob = anchored ? pattern.replace(/^\/+/, '') : `**/${pattern}`;
  const test = picomatch(glob, GLOB_OPTIONS);
  return { source, negate, directoryOnly, domain, test: (relative) => test(relative) };
}

function relativeTo(domain: string, path: string): string | undefined {
  if (domain === '') return path;
  return path.startsWith(`${domain}/`) ? path.slice(domain.length + 1) : undefined;
}
