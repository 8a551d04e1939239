/**
 * The semver policy: the highest tag that is a version and satisfies the range. As in Flux, a tag
 * that is not a full three-part version (with at most one leading `v`) is skipped, not an error, and
 * pre-releases count only when the range asks for them (see semver-range.ts).
 *
 * One pass, no sort: each tag is read only as far as it takes to see that it cannot beat the best
 * so far, and only a tag that would win is tested against the range. With a filter (which runs an
 * RE2 engine, costlier than all of that), the pass keeps the few best versions and the filter is
 * asked about them in order; only if it turns all of them down does a second pass hand every version
 * in range to bestAccepted.
 */
import { bestAccepted } from './best-accepted.ts';
import type { RankingPolicy } from './policy.ts';
import { parseSemverRange, type SemverRange } from './semver-range.ts';
import { compareVersions, parseTagVersion, type Version } from './semver-version.ts';

interface Candidate {
  readonly tag: string;
  readonly version: Version;
  readonly index: number;
}

/** How many of the best versions the first pass keeps for a filter to choose from. */
const SHORTLIST = 4;

/**
 * Equal versions (`1.2.3` and `v1.2.3`, or two build-metadata variants) go to the first in `tags`,
 * as Flux keeps the first it meets in the order its database lists them.
 */
export function semverPolicy(range: string): RankingPolicy {
  const compiled = parseSemverRange(range);
  return {
    latest(tags) {
      let best: Version | undefined;
      let bestTag: string | undefined;
      for (let index = 0; index < tags.length; index++) {
        const tag = tags[index]!;
        if (!startsLikeVersion(tag)) continue;
        const version = parseTagVersion(tag, best, !compiled.prereleases);
        if (version === undefined || !compiled.test(version)) continue;
        best = version;
        bestTag = tag;
      }
      return bestTag;
    },
    latestAccepted(tags, accept) {
      const { best, complete } = shortlist(tags, compiled, SHORTLIST);
      for (const candidate of best) if (accept(candidate.tag)) return candidate.tag;
      if (complete) return undefined;
      return bestAccepted(inRange(tags, compiled), better, (c) => accept(c.tag))?.tag;
    },
  };
}

/**
 * The `size` best versions in range, best first. Once the list is full, tags are read only until they
 * prove lower than its last, so whether one left out was in range is unknown: `complete` is only
 * claimed when the list never filled.
 */
function shortlist(tags: readonly string[], range: SemverRange, size: number) {
  const best: Candidate[] = [];
  for (let index = 0; index < tags.length; index++) {
    const tag = tags[index]!;
    if (!startsLikeVersion(tag)) continue;
    const floor = best.length === size ? best[size - 1]!.version : undefined;
    const version = parseTagVersion(tag, floor, !range.prereleases);
    if (version === undefined || !range.test(version)) continue;
    let at = best.length < size ? best.length : size - 1;
    for (; at > 0 && compareVersions(version, best[at - 1]!.version) > 0; at--) best[at] = best[at - 1]!;
    best[at] = { tag, version, index };
  }
  return { best, complete: best.length < size };
}

/** A digit or `v` first: most tags (`latest`, `main-…`, `sha256-….sig`) stop here, before a call. */
function startsLikeVersion(tag: string): boolean {
  const c = tag.charCodeAt(0);
  return (c >= 0x30 && c <= 0x39) || c === 0x76;
}

function inRange(tags: readonly string[], range: SemverRange): Candidate[] {
  const candidates: Candidate[] = [];
  for (let index = 0; index < tags.length; index++) {
    const tag = tags[index]!;
    const version = parseTagVersion(tag, undefined, !range.prereleases);
    if (version !== undefined && range.test(version)) candidates.push({ tag, version, index });
  }
  return candidates;
}

function better(a: Candidate, b: Candidate): boolean {
  const order = compareVersions(a.version, b.version);
  return order > 0 || (order === 0 && a.index < b.index);
}
