/**
 * Semantic versions as Flux reads them (Masterminds/semver v3): parsed by hand, once, into numbers,
 * so that ranking 100,000 tags costs integer comparisons rather than a regex and an object per tag.
 *
 * Two readings exist. Flux v2 (image-reflector-controller) takes a tag only if it is a strict
 * `MAJOR.MINOR.PATCH[-PRE][+BUILD]` after at most one leading `v`; fluxd and every version written
 * inside a range use the loose reading, which also takes `1`, `1.2` and leading zeros.
 */

/**
 * One numeric part. Masterminds parses parts as uint64; JavaScript numbers are exact only up to
 * 2^53, so a larger part is a bigint. The form is canonical (a number whenever the value fits), so
 * `===` is equality and `<`/`>` compare across the two forms exactly.
 */
export type VersionPart = number | bigint;

export interface Version {
  readonly major: VersionPart;
  readonly minor: VersionPart;
  readonly patch: VersionPart;
  /** The pre-release identifiers after `-`, '' when there are none. Build metadata is dropped: it never orders. */
  readonly pre: string;
}

const UINT64_MAX = 18446744073709551615n;
const INVALID = -1;

/** What the last scanPart read: the part's value, or INVALID. A variable, so reading allocates nothing. */
let scanned: VersionPart = INVALID;

/**
 * Reads the digits at s[i...] as a uint64 part into `scanned`: INVALID when there are none, when a
 * strict part has a leading zero, or past uint64. Returns where the digits end.
 */
function scanPart(s: string, i: number, strict: boolean): number {
  const start = i;
  let n = 0;
  for (let c = s.charCodeAt(i); c >= 0x30 && c <= 0x39; c = s.charCodeAt(++i)) n = n * 10 + (c - 0x30);
  const length = i - start;
  if (length === 0 || (strict && length > 1 && s.charCodeAt(start) === 0x30)) scanned = INVALID;
  else if (length <= 15) scanned = n;
  else scanned = bigPart(s.slice(start, i));
  return i;
}

function bigPart(digits: string): VersionPart {
  const big = BigInt(digits);
  if (big > UINT64_MAX) return INVALID;
  return big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
}

const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const isIdentChar = (c: number) =>
  isDigit(c) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x2d;

/**
 * Dot-separated identifiers of [0-9A-Za-z-] in s[start, end), none empty; as a pre-release, a numeric
 * identifier must not have a leading zero (Masterminds' validatePrerelease and validateMetadata).
 */
function validIdentifiers(s: string, start: number, end: number, pre: boolean): boolean {
  if (start >= end) return false;
  let partStart = start;
  let allDigits = true;
  for (let i = start; i <= end; i++) {
    const c = i < end ? s.charCodeAt(i) : 0x2e;
    if (c === 0x2e) {
      if (i === partStart) return false;
      if (pre && allDigits && i - partStart > 1 && s.charCodeAt(partStart) === 0x30) return false;
      partStart = i + 1;
      allDigits = true;
    } else if (!isIdentChar(c)) {
      return false;
    } else if (!isDigit(c)) {
      allDigits = false;
    }
  }
  return true;
}

/**
 * A tag as Flux v2's semver policy reads it (fluxcd/pkg version.ParseVersion): one optional leading
 * `v`, then exactly three dot-separated parts without leading zeros, an optional pre-release and
 * build metadata. Anything else (`1.2`, `latest`, `1.2.3.4`, `01.2.3`) is not a version.
 *
 * With `above`, a version not strictly above it is of no interest: reading stops at the first part
 * that is lower, which is what makes ranking a long list cheap; with `releasesOnly`, at a `-`.
 */
export function parseTagVersion(tag: string, above?: Version, releasesOnly = false): Version | undefined {
  let i = scanPart(tag, tag.charCodeAt(0) === 0x76 ? 1 : 0, true);
  const major = scanned;
  if (tag.charCodeAt(i) !== 0x2e || (above !== undefined && major < above.major)) return undefined;
  i = scanPart(tag, i + 1, true);
  const minor = scanned;
  if (tag.charCodeAt(i) !== 0x2e) return undefined;
  if (above !== undefined && major === above.major && minor < above.minor) return undefined;
  i = scanPart(tag, i + 1, true);
  const patch = scanned;
  if (major === INVALID || minor === INVALID || patch === INVALID) return undefined;
  if (releasesOnly && tag.charCodeAt(i) === 0x2d) return undefined;
  const version = withSuffix(tag, i, major, minor, patch);
  if (version === undefined || above === undefined) return version;
  return compareVersions(version, above) > 0 ? version : undefined;
}

/**
 * A version as Masterminds' NewVersion reads it, for fluxd's tags and for the versions inside a range:
 * `v?N(.N)?(.N)?(-PRE)?(+BUILD)?`, missing parts zero, leading zeros allowed in the numbers.
 */
export function parseLooseVersion(text: string): Version | undefined {
  let i = text.charCodeAt(0) === 0x76 ? 1 : 0;
  const parts: VersionPart[] = [0, 0, 0];
  for (let n = 0; n < 3; n++) {
    if (n > 0) {
      if (text.charCodeAt(i) !== 0x2e || !isDigit(text.charCodeAt(i + 1))) break;
      i++;
    }
    i = scanPart(text, i, false);
    if (scanned === INVALID) return undefined;
    parts[n] = scanned;
  }
  return withSuffix(text, i, parts[0]!, parts[1]!, parts[2]!);
}

/** The `-PRE` and `+BUILD` that may follow the numbers at s[i]; the string must end after them. */
function withSuffix(
  s: string,
  i: number,
  major: VersionPart,
  minor: VersionPart,
  patch: VersionPart,
): Version | undefined {
  if (i === s.length) return { major, minor, patch, pre: '' };
  const c = s.charCodeAt(i);
  if (c !== 0x2d && c !== 0x2b) return undefined;
  const plus = s.indexOf('+', i);
  const preEnd = plus === -1 ? s.length : plus;
  let pre = '';
  if (c === 0x2d) {
    if (!validIdentifiers(s, i + 1, preEnd, true)) return undefined;
    pre = s.slice(i + 1, preEnd);
  }
  if (plus !== -1 && !validIdentifiers(s, plus + 1, s.length, false)) return undefined;
  return { major, minor, patch, pre };
}

const comparePart = (a: VersionPart, b: VersionPart) => (a < b ? -1 : a > b ? 1 : 0);

/** Masterminds' Compare: numbers first, then a release above its pre-releases; build metadata is ignored. */
export function compareVersions(a: Version, b: Version): number {
  if (a.major !== b.major) return comparePart(a.major, b.major);
  if (a.minor !== b.minor) return comparePart(a.minor, b.minor);
  if (a.patch !== b.patch) return comparePart(a.patch, b.patch);
  if (a.pre === b.pre) return 0;
  if (a.pre === '') return 1;
  if (b.pre === '') return -1;
  return comparePrerelease(a.pre, b.pre);
}

/**
 * Pre-release precedence as Masterminds decides it: identifier by identifier, a missing identifier
 * below a present one, numbers (as uint64) below words, numbers by value, words by bytes.
 */
export function comparePrerelease(a: string, b: string): number {
  const as = a.split('.');
  const bs = b.split('.');
  const n = Math.max(as.length, bs.length);
  for (let i = 0; i < n; i++) {
    const d = comparePrePart(as[i] ?? '', bs[i] ?? '');
    if (d !== 0) return d;
  }
  return 0;
}

function comparePrePart(s: string, o: string): number {
  if (s === o) return 0;
  if (s === '') return -1;
  if (o === '') return 1;
  const sn = uint64(s);
  const on = uint64(o);
  if (sn === undefined && on === undefined) return s > o ? 1 : -1;
  if (on === undefined) return -1;
  if (sn === undefined) return 1;
  return sn > on ? 1 : -1;
}

function uint64(s: string): bigint | undefined {
  if (s.length > 20 || !/^[0-9]+$/.test(s)) return undefined;
  const n = BigInt(s);
  return n > UINT64_MAX ? undefined : n;
}
