/**
 * Flux v1 (fluxd) tag filters, from a workload's `fluxcd.io/tag.<container>` annotation:
 * `semver:<range>`, `regex:<re>` or `regexp:<re>`, and `glob:<pattern>` (the prefix may be left out;
 * an absent annotation means `glob:*`). Decided as fluxd's policy and update packages did:
 *
 * - semver: tags read loosely (`1`, `1.2`, `v1.2.3` are versions), a pre-release only satisfies a
 *   comparator that names one, and the highest version wins; of equal versions (`1.10`, `1.10.0`)
 *   the tag that sorts last in byte order, so the more explicit one.
 * - glob and regex: the newest image by creation time wins; an image without one sorts last; of
 *   equal times the tag that sorts first. The caller must fetch creation times (see isV1Semver).
 * - a tag named `latest` (any case) is never a candidate unless the filter is exactly `glob:latest`.
 *
 * Glob: `*` matches any run of characters, `/` included; every other character is literal.
 *
 * Two deliberate departures. fluxd let an unparsable range or regex match every tag; here it is a
 * PolicyError, since updating a workload to an arbitrary tag is worse than stopping. And fluxd's glob
 * library accepted a subject that ran out before the pattern's final literal (`a*b` matched `a`, and
 * longer endings crashed it); here the whole pattern must match.
 */
import { RE2JS } from 're2js';
import { compareGoStrings } from './go-string-order.ts';
import { PolicyError } from './policy-error.ts';
import { parseSemverRange } from './semver-range.ts';
import { compareVersions, parseLooseVersion } from './semver-version.ts';

export interface V1Candidate {
  readonly tag: string;
  /** The image's creation time (RFC 3339), as fluxd read it from the image config. */
  readonly createdAt?: string | undefined;
}

export interface V1TagFilter {
  /** Whether the tag is a candidate for this filter. */
  matches(tag: string): boolean;
  /** The tag of the candidate fluxd would deploy, or undefined when none matches. */
  latest(candidates: readonly V1Candidate[]): string | undefined;
}

const SEMVER = 'semver:';

/** True when the filter ranks by version, so the caller need not fetch image creation times. */
export function isV1Semver(expression: string): boolean {
  return expression.startsWith(SEMVER);
}

export function v1TagFilter(expression = 'glob:*'): V1TagFilter {
  if (isV1Semver(expression)) return semverFilter(expression.slice(SEMVER.length));
  for (const prefix of ['regexp:', 'regex:']) {
    if (expression.startsWith(prefix)) return regexFilter(expression.slice(prefix.length), expression);
  }
  return globFilter(expression.startsWith('glob:') ? expression.slice('glob:'.length) : expression);
}

const isLatestTag = (tag: string) => tag.length === 6 && tag.toLowerCase() === 'latest';

function semverFilter(range: string): V1TagFilter {
  const compiled = parseSemverRange(range, 'comparator');
  const versionOf = (tag: string) => {
    if (isLatestTag(tag)) return undefined;
    const version = parseLooseVersion(tag);
    return version !== undefined && compiled.test(version) ? version : undefined;
  };
  return {
    matches: (tag) => versionOf(tag) !== undefined,
    latest(candidates) {
      let best: { tag: string; version: NonNullable<ReturnType<typeof versionOf>> } | undefined;
      for (const { tag } of candidates) {
        const version = versionOf(tag);
        if (version === undefined) continue;
        const order = best === undefined ? 1 : compareVersions(version, best.version);
        if (order > 0 || (order === 0 && compareGoStrings(tag, best!.tag) > 0)) best = { tag, version };
      }
      return best?.tag;
    },
  };
}

function regexFilter(pattern: string, expression: string): V1TagFilter {
  let regex: RE2JS;
  try {
    regex = RE2JS.compile(pattern);
  } catch (error) {
    throw new PolicyError(`invalid tag filter ${JSON.stringify(expression)}: ${(error as Error).message}`, {
      cause: error,
      data: { expression },
    });
  }
  return newestFilter((tag) => !isLatestTag(tag) && regex.test(tag));
}

function globFilter(pattern: string): V1TagFilter {
  const allowLatest = pattern === 'latest';
  return newestFilter((tag) => (allowLatest || !isLatestTag(tag)) && globMatches(pattern, tag));
}

/** Literal parts between the `*`s, each found leftmost after the one before, the last at the very end. */
function globMatches(pattern: string, subject: string): boolean {
  const parts = pattern.split('*');
  if (parts.length === 1) return subject === pattern;
  const first = parts[0]!;
  const last = parts[parts.length - 1]!;
  if (!subject.startsWith(first)) return false;
  let position = first.length;
  for (const part of parts.slice(1, -1)) {
    const at = subject.indexOf(part, position);
    if (at < 0) return false;
    position = at + part.length;
  }
  return subject.length - last.length >= position && subject.endsWith(last);
}

function newestFilter(matches: (tag: string) => boolean): V1TagFilter {
  return {
    matches,
    latest(candidates) {
      let best: { tag: string; time: CreationTime } | undefined;
      for (const { tag, createdAt } of candidates) {
        if (!matches(tag)) continue;
        const time = creationTime(createdAt);
        const order = best === undefined ? 1 : compareTimes(time, best.time);
        if (order > 0 || (order === 0 && compareGoStrings(tag, best!.tag) < 0)) best = { tag, time };
      }
      return best?.tag;
    },
  };
}

/** Milliseconds since the epoch, then the nanoseconds below them that RFC 3339 may carry. */
type CreationTime = readonly [number, number];

/** fluxd's zero time (0001-01-01T00:00:00Z): what a missing or unreadable creation time was to it. */
const ZERO_TIME: CreationTime = [-62135596800000, 0];

function creationTime(createdAt: string | undefined): CreationTime {
  if (createdAt === undefined) return ZERO_TIME;
  const ms = Date.parse(createdAt);
  if (Number.isNaN(ms)) return ZERO_TIME;
  const fraction = /T\d\d:\d\d:\d\d\.(\d+)/.exec(createdAt)?.[1] ?? '';
  return [ms, Number(fraction.slice(3, 9).padEnd(6, '0'))];
}

const compareTimes = (a: CreationTime, b: CreationTime) =>
  a[0] !== b[0] ? Math.sign(a[0] - b[0]) : Math.sign(a[1] - b[1]);
