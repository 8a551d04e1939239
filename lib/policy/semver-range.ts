/**
 * Semver ranges in the grammar Flux accepts (Masterminds/semver v3 constraints), compiled once into
 * numeric comparators so that testing a version is a few integer comparisons.
 *
 * The grammar is not the npm one: `1.2` alone means `~1.2` (any 1.2.x), `>= 1.2` may have spaces,
 * comma and space both mean AND, `||` means OR, `1.2 - 2.3` is a hyphen range, and `x`, `X` or `*`
 * may stand for any part. The text is split with Masterminds' own regular expressions (run by an RE2
 * engine, as Go runs them), so a range is accepted or refused exactly as Flux would; each comparator
 * then keeps Masterminds' decisions, quirks included (`~0.0.0` and `~*` accept everything, `>*` all
 * but 0.0.0).
 */
import { RE2JS } from 're2js';
import { PolicyError } from './policy-error.ts';
import { comparePrerelease, compareVersions, parseLooseVersion, type Version } from './semver-version.ts';

/**
 * When a pre-release version may satisfy a range. `group` is Flux v2 (Masterminds ≥ 3.4): when any
 * comparator of an AND group names a pre-release (`>=1.0.0-0`), the whole group takes pre-releases.
 * `comparator` is fluxd (Masterminds 3.1): only a comparator that names a pre-release takes them,
 * and `!=` without a wildcard lets them all through. Apart from this rule the comparators are 3.4's
 * (3.1 answered some `^0.x` ranges differently).
 */
export type PrereleaseRule = 'group' | 'comparator';

export interface SemverRange {
  test(version: Version): boolean;
  /** False when no pre-release version can satisfy the range, so a reader may skip them unread. */
  readonly prereleases: boolean;
}

type Kind = 'eq' | 'ne' | 'gt' | 'lt' | 'ge' | 'le' | 'tilde' | 'caret';

interface Comparator {
  readonly kind: Kind;
  readonly con: Version;
  /** Some part was missing or a wildcard; `minorDirty` from the minor on, `patchDirty` the patch only. */
  readonly dirty: boolean;
  readonly minorDirty: boolean;
  readonly patchDirty: boolean;
}

interface Group {
  readonly comparators: readonly Comparator[];
  readonly hasPre: boolean;
}

const KINDS: Record<string, Kind> = {
  '': 'eq',
  '=': 'eq',
  '!=': 'ne',
  '>': 'gt',
  '<': 'lt',
  '>=': 'ge',
  '=>': 'ge',
  '<=': 'le',
  '=<': 'le',
  '~': 'tilde',
  '~>': 'tilde',
  '^': 'caret',
};

// Masterminds' patterns, character for character: the `|` inside the classes is theirs too.
const CV =
  String.raw`v?([0-9|x|X|\*]+)(\.[0-9|x|X|\*]+)?(\.[0-9|x|X|\*]+)?` +
  String.raw`(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?` +
  String.raw`(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?`;
const OPS = String.raw`=||!=|>|<|>=|=>|<=|=<|~|~>|\^`;

let patterns: { range: RE2JS; find: RE2JS; valid: RE2JS; one: RE2JS } | undefined;
function grammar() {
  patterns ??= {
    range: RE2JS.compile(String.raw`\s*(${CV})\s+-\s+(${CV})\s*`),
    find: RE2JS.compile(String.raw`(${OPS})\s*(${CV})`),
    valid: RE2JS.compile(String.raw`^(\s*(${OPS})\s*(${CV})\s*)((?:\s+|,\s*)(${OPS})\s*(${CV})\s*)*$`),
    one: RE2JS.compile(String.raw`^\s*(${OPS})\s*(${CV})\s*$`),
  };
  return patterns;
}

/** Compiles a range; an invalid one is a PolicyError naming it, as Flux stalls on an invalid policy. */
export function parseSemverRange(range: string, rule: PrereleaseRule = 'group'): SemverRange {
  const groups = rewriteHyphenRanges(range)
    .split('||')
    .map((text) => parseGroup(text, range));
  return {
    test(v) {
      for (const group of groups) {
        if (groupAccepts(group, v, rule)) return true;
      }
      return false;
    },
    prereleases: groups.some(
      (g) => g.hasPre || (rule === 'comparator' && g.comparators.some((c) => c.kind === 'ne' && !c.dirty)),
    ),
  };
}

/** `A - B` becomes `>= A, <= B `, textually, as Masterminds' rewriteRange does before anything else. */
function rewriteHyphenRanges(range: string): string {
  const matcher = grammar().range.matcher(range);
  const rewrites: [string, string][] = [];
  while (matcher.find())
    rewrites.push([matcher.group(0)!, `>= ${matcher.group(1)}, <= ${matcher.group(11)} `]);
  let out = range;
  for (const [from, to] of rewrites) out = out.replace(from, () => to);
  return out;
}

function parseGroup(text: string, range: string): Group {
  const { find, valid } = grammar();
  if (!valid.test(text)) throw invalidRange(range, `improper constraint: ${text}`);
  const comparators: Comparator[] = [];
  const matcher = find.matcher(text);
  while (matcher.find()) comparators.push(parseComparator(matcher.group(0)!, range));
  return { comparators, hasPre: comparators.some((c) => c.con.pre !== '') };
}

const isX = (part: string) => part === 'x' || part === 'X' || part === '*';

function parseComparator(text: string, range: string): Comparator {
  const m = grammar().one.matcher(text);
  if (!m.find()) throw invalidRange(range, `improper constraint: ${text}`);
  const op = m.group(1) ?? '';
  const major = m.group(3) ?? '';
  const minor = m.group(4) ?? '';
  const patch = m.group(5) ?? '';
  const pre = m.group(6) ?? '';
  let version = m.group(2) ?? '';
  let dirty = true;
  let minorDirty = false;
  let patchDirty = false;
  if (isX(major)) {
    version = `0.0.0${pre}`;
  } else if (minor === '' || isX(minor.slice(1))) {
    minorDirty = true;
    version = `${major}.0.0${pre}`;
  } else if (patch === '' || isX(patch.slice(1))) {
    patchDirty = true;
    version = `${major}${minor}.0${pre}`;
  } else {
    dirty = false;
  }
  const con = parseLooseVersion(version);
  if (con === undefined) throw invalidRange(range, `improper constraint: ${text.trim()}`);
  return { kind: KINDS[op] ?? 'eq', con, dirty, minorDirty, patchDirty };
}

function invalidRange(range: string, reason: string): PolicyError {
  return new PolicyError(`invalid semver range ${JSON.stringify(range)}: ${reason}`, {
    data: { range, reason },
  });
}

function groupAccepts(group: Group, v: Version, rule: PrereleaseRule): boolean {
  if (rule === 'group' && v.pre !== '' && !group.hasPre) return false;
  for (const c of group.comparators) {
    if (!accepts(c, v, rule === 'group' || c.con.pre !== '')) return false;
  }
  return true;
}

/** One comparator, decided as Masterminds' constraint functions decide it. */
function accepts(c: Comparator, v: Version, includePre: boolean): boolean {
  const { con } = c;
  if (v.pre !== '' && !includePre && !(c.kind === 'ne' && !c.dirty)) return false;
  switch (c.kind) {
    case 'eq':
      return c.dirty ? tilde(c, v) : compareVersions(v, con) === 0;
    case 'ne':
      return notEqual(c, v);
    case 'gt':
      if (!c.dirty) return compareVersions(v, con) > 0;
      if (v.major !== con.major) return v.major > con.major;
      if (c.minorDirty) return false;
      if (c.patchDirty) return v.minor > con.minor;
      return compareVersions(v, con) > 0;
    case 'lt':
      return compareVersions(v, con) < 0;
    case 'ge':
      return compareVersions(v, con) >= 0;
    case 'le':
      if (!c.dirty) return compareVersions(v, con) <= 0;
      if (v.major > con.major) return false;
      return !(v.major === con.major && v.minor > con.minor && !c.minorDirty);
    case 'tilde':
      return tilde(c, v);
    case 'caret':
      return caret(c, v);
  }
}

function tilde(c: Comparator, v: Version): boolean {
  const { con } = c;
  if (compareVersions(v, con) < 0) return false;
  if (con.major === 0 && con.minor === 0 && con.patch === 0 && !c.minorDirty && !c.patchDirty) return true;
  if (v.major !== con.major) return false;
  return v.minor === con.minor || c.minorDirty;
}

function caret(c: Comparator, v: Version): boolean {
  const { con } = c;
  if (compareVersions(v, con) < 0) return false;
  if (con.major > 0 || c.minorDirty) return v.major === con.major;
  if (v.major > 0) return false;
  if (con.minor > 0 || c.patchDirty) return v.minor === con.minor;
  if (v.minor > 0) return false;
  return v.patch === con.patch;
}

function notEqual(c: Comparator, v: Version): boolean {
  const { con } = c;
  if (c.dirty) {
    if (con.major !== v.major) return true;
    if (con.minor !== v.minor && !c.minorDirty) return true;
    if (c.minorDirty) return false;
    if (con.patch !== v.patch && !c.patchDirty) return true;
    if (c.patchDirty) {
      return (v.pre !== '' || con.pre !== '') && comparePrerelease(v.pre, con.pre) !== 0;
    }
  }
  return compareVersions(v, con) !== 0;
}
