/**
 * Where the Secrets of a deployed ferry live: SSM Parameter Store or Secrets Manager, one entry per
 * Secret at `<prefix>/<namespace>/<name>`. A port of one call, so that the config loader is tested
 * against an in-memory source (neither service runs here), plus the two policies every adapter
 * shares: look in one store, then the other; and keep answers for a short time, so that a warm
 * function does not ask again for every job while a rotated secret still arrives within a minute.
 */
import { TerminalError, TransientError } from '../errors.ts';

export interface ParameterSource {
  /** The parameter's text, or undefined when it does not exist. Throws ParameterSourceError. */
  get(name: string): Promise<string | undefined>;
}

/** The store could not be asked (throttled, unreachable); a retry may help. */
export class ParameterUnavailableError extends TransientError {}

/** The store refused the caller (no permission, a key it may not use); a retry will not help. */
export class ParameterAccessError extends TerminalError {}

/** The first source that has the parameter answers; the next is asked only when one has none. */
export function firstFound(...sources: ParameterSource[]): ParameterSource {
  return {
    async get(name) {
      for (const source of sources) {
        const value = await source.get(name);
        if (value !== undefined) return value;
      }
      return undefined;
    },
  };
}

export interface CachedParameterSourceOptions {
  /** How long an answer (a missing parameter included) is kept; 60 s by default. */
  ttlMs?: number;
  now?: () => number;
}

/** Keeps each answer for `ttlMs`; concurrent asks for one name share one request. */
export function cachedParameterSource(
  source: ParameterSource,
  options: CachedParameterSourceOptions = {},
): ParameterSource {
  const { ttlMs = 60_000, now = Date.now } = options;
  const cache = new Map<string, { at: number; value: Promise<string | undefined> }>();
  return {
    get(name) {
      const hit = cache.get(name);
      if (hit && now() - hit.at < ttlMs) return hit.value;
      const value = source.get(name);
      cache.set(name, { at: now(), value });
      // A late failure must not evict a newer answer asked for after this one expired.
      value.catch(() => {
        if (cache.get(name)?.value === value) cache.delete(name);
      });
      return value;
    },
  };
}
