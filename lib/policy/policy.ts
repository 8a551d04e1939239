/**
 * An ImagePolicy's choice of the latest tag, decided as Flux's image-reflector-controller decides it:
 * one of semver, alphabetical or numerical, after filterTags narrows (and may rewrite) the tags.
 * Pure: the caller reads the tags, calls `latest`, and reports "no tag matches" on `undefined`.
 */
import type { ImagePolicy } from '../config/index.ts';
import { alphabeticalPolicy } from './alphabetical-policy.ts';
import { compileTagFilter } from './filter-tags.ts';
import { numericalPolicy } from './numerical-policy.ts';
import { PolicyError } from './policy-error.ts';
import { semverPolicy } from './semver-policy.ts';

export interface Policy {
  /** The tag the policy selects, or undefined when no tag qualifies. */
  latest(tags: readonly string[]): string | undefined;
}

/**
 * A policy whose winner only depends on the best candidate seen so far (semver, alphabetical), so a
 * filter that keeps tags as they are need only be asked about a tag that would win. Numerical is not
 * one: it fails on any non-number among the filtered tags, so each tag must be filtered.
 */
export interface RankingPolicy extends Policy {
  latestAccepted(tags: readonly string[], accept: (tag: string) => boolean): string | undefined;
}

export type PolicyChoice = ImagePolicy['spec']['policy'];
export type FilterTags = ImagePolicy['spec']['filterTags'];

/**
 * Compiles an ImagePolicy's policy and filterTags once. An invalid range, order or pattern is a
 * PolicyError (terminal). Ties follow the order of `tags`: pass them in the registry's listing order.
 */
export function createPolicy(policy: PolicyChoice, filterTags?: FilterTags): Policy {
  const base = choosePolicy(policy);
  if (filterTags === undefined) return base;
  const filter = compileTagFilter(filterTags);
  if (!filter.rewrites && 'latestAccepted' in base) {
    return { latest: (tags) => base.latestAccepted(tags, filter.test) };
  }
  return {
    latest(tags) {
      const originals = filter.apply(tags);
      const winner = base.latest([...originals.keys()]);
      return winner === undefined ? undefined : originals.get(winner);
    },
  };
}

/** The first choice set, in Flux's order (semver, alphabetical, numerical). */
function choosePolicy(policy: PolicyChoice): Policy | RankingPolicy {
  if (policy.semver !== undefined) return semverPolicy(policy.semver.range);
  if (policy.alphabetical !== undefined) return alphabeticalPolicy(orderOf(policy.alphabetical.order));
  if (policy.numerical !== undefined) return numericalPolicy(orderOf(policy.numerical.order));
  throw new PolicyError('invalid policy: one of semver, alphabetical or numerical must be set');
}

/** Flux upper-cases the order and defaults an empty one to ascending. */
function orderOf(order: string | undefined): 'asc' | 'desc' {
  const normal = (order ?? '').toLowerCase();
  if (normal === '' || normal === 'asc') return 'asc';
  if (normal === 'desc') return 'desc';
  throw new PolicyError(`invalid order ${JSON.stringify(order)}: must be one of asc, desc`, {
    data: { order },
  });
}
