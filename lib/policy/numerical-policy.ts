/**
 * The numerical policy: the last tag in numeric order. Every tag must read as a number the way Go's
 * strconv.ParseFloat reads one; a single tag that does not fails the whole policy, as in Flux, so an
 * image repository with `latest` or `main-abc123` tags needs filterTags to pick the numeric ones.
 */
import { parseGoFloat } from './go-parse-float.ts';
import type { Policy } from './policy.ts';
import { PolicyError } from './policy-error.ts';

/**
 * Walks the tags as Flux does: a later tag replaces the latest unless it is strictly smaller (asc) or
 * larger (desc), so of equal numbers (`1.0` and `1`) the last one in `tags` wins.
 */
export function numericalPolicy(order: 'asc' | 'desc'): Policy {
  return {
    latest(tags) {
      let latest: string | undefined;
      let latestValue = 0;
      for (const tag of tags) {
        const value = parseGoFloat(tag);
        if (value === undefined) throw notANumber(tag);
        if (latest !== undefined && (order === 'asc' ? value < latestValue : value > latestValue)) continue;
        latest = tag;
        latestValue = value;
      }
      return latest;
    },
  };
}

function notANumber(tag: string): PolicyError {
  return new PolicyError(
    `failed to parse invalid numeric value '${tag}': the numerical policy needs every tag to be a number; ` +
      'use filterTags (a pattern, and extract to rank part of a tag) to select numeric tags first',
    { data: { tag } },
  );
}
