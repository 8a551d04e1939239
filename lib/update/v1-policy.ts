/**
 * Flux v1 (fluxd) workload policies, read from annotations as fluxd read them: `automated`,
 * `locked` (+ `locked_msg`, `locked_user`), `tag.<container>` and `tag_all`, under `fluxcd.io/`
 * or the legacy `flux.weave.works/`, plus the Helm operator's `filter.fluxcd.io/<container>`.
 * Boolean policies count only with the value `true`. Where both prefixes set a policy the current
 * one wins (fluxd's pick depended on map order).
 */

export const V1_PREFIX = 'fluxcd.io/';
export const V1_LEGACY_PREFIX = 'flux.weave.works/';
const FILTER_PREFIX = 'filter.fluxcd.io/';

/** Files holding none of these have no automated workload and are not parsed. */
export const V1_AUTOMATION_TOKENS = [`${V1_PREFIX}automated`, `${V1_LEGACY_PREFIX}automated`] as const;

export type TagFilterKind = 'glob' | 'semver' | 'regexp';

/** A tag filter expression split into its kind and pattern: `semver:~1.2` → semver `~1.2`. */
export interface TagFilter {
  kind: TagFilterKind;
  pattern: string;
}

export const DEFAULT_TAG_FILTER = 'glob:*';

export interface V1Policy {
  automated: boolean;
  locked: boolean;
  lockedMessage?: string;
  lockedUser?: string;
  /** Tag filter expressions by container name. */
  tagFilters: ReadonlyMap<string, string>;
  tagAll?: string;
}

/** Reads the v1 policies from a workload's annotations. */
export function readV1Policy(annotations: ReadonlyMap<string, string>): V1Policy {
  const policies = new Map<string, string>();
  const filters = new Map<string, string>();
  // Lowest precedence first: the Helm operator's filters, then the legacy prefix, then the current one.
  for (const [key, value] of annotations) {
    if (key.startsWith(FILTER_PREFIX)) filters.set(key.slice(FILTER_PREFIX.length), value);
  }
  for (const prefix of [V1_LEGACY_PREFIX, V1_PREFIX]) {
    for (const [key, value] of annotations) {
      if (key.startsWith(prefix)) policies.set(key.slice(prefix.length), value);
    }
  }
  for (const [name, value] of policies) {
    if (name.startsWith('tag.')) filters.set(name.slice(4), value);
  }
  const policy: V1Policy = {
    automated: policies.get('automated') === 'true',
    locked: policies.get('locked') === 'true',
    tagFilters: filters,
  };
  const message = policies.get('locked_msg');
  const user = policies.get('locked_user');
  const tagAll = policies.get('tag_all');
  if (message !== undefined) policy.lockedMessage = message;
  if (user !== undefined) policy.lockedUser = user;
  if (tagAll !== undefined) policy.tagAll = tagAll;
  return policy;
}

/** The tag filter expression for a container: its own, else `tag_all`, else `glob:*`. */
export function tagFilterFor(policy: V1Policy, container: string): string {
  return policy.tagFilters.get(container) ?? policy.tagAll ?? DEFAULT_TAG_FILTER;
}

/** Splits a filter expression; text without a known prefix is a glob, as in fluxd. */
export function parseTagFilter(expression: string): TagFilter {
  if (expression.startsWith('semver:')) return { kind: 'semver', pattern: expression.slice(7) };
  if (expression.startsWith('regexp:')) return { kind: 'regexp', pattern: expression.slice(7) };
  if (expression.startsWith('regex:')) return { kind: 'regexp', pattern: expression.slice(6) };
  if (expression.startsWith('glob:')) return { kind: 'glob', pattern: expression.slice(5) };
  return { kind: 'glob', pattern: expression };
}
