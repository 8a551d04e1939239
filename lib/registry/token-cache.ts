/**
 * Bearer tokens by host, scope and credentials. A scan lists and then HEADs the same repository, and
 * a webhook burst confirms many tags of it: one token serves them all until it expires, instead of
 * one round trip to the token server per request. Keys carry a hash of the credentials, never the
 * credentials, so two ImageRepositories with different Secrets on one host never share a token.
 */
import { createHash } from 'node:crypto';
import type { RegistryCredentials } from './credentials.ts';

/** What the token spec says to assume when the token server does not say `expires_in`. */
export const DEFAULT_TOKEN_LIFETIME_SECONDS = 60;

export interface TokenCacheOptions {
  now?: () => number;
  /** Beyond this many tokens, expired ones go first, then the oldest. */
  maxEntries?: number;
}

export function tokenCacheKey(host: string, scope: string, credentials?: RegistryCredentials): string {
  const who =
    credentials === undefined
      ? 'anonymous'
      : createHash('sha256')
          .update(`${credentials.username}\0${credentials.password}`)
          .digest('hex')
          .slice(0, 24);
  return `${host} ${scope} ${who}`;
}

export class TokenCache {
  readonly #entries = new Map<string, { token: string; expiresAt: number }>();
  readonly #now: () => number;
  readonly #maxEntries: number;

  constructor(options: TokenCacheOptions = {}) {
    this.#now = options.now ?? Date.now;
    this.#maxEntries = options.maxEntries ?? 10_000;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The token, unless it expired (or is about to: a request in flight must not outlive it). */
  get(key: string): string | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt > this.#now()) return entry.token;
    this.#entries.delete(key);
    return undefined;
  }

  /** Keeps a token for its lifetime less a tenth (at most 5 s), so it is never sent at the edge. */
  set(key: string, token: string, expiresInSeconds = DEFAULT_TOKEN_LIFETIME_SECONDS): void {
    const lifetimeMs = Math.max(0, expiresInSeconds) * 1000;
    const expiresAt = this.#now() + lifetimeMs - Math.min(5_000, lifetimeMs / 10);
    this.#entries.delete(key);
    this.#entries.set(key, { token, expiresAt });
    if (this.#entries.size > this.#maxEntries) this.#evict();
  }

  delete(key: string): void {
    this.#entries.delete(key);
  }

  #evict(): void {
    const now = this.#now();
    for (const [key, entry] of this.#entries) if (entry.expiresAt <= now) this.#entries.delete(key);
    for (const key of this.#entries.keys()) {
      if (this.#entries.size <= this.#maxEntries) break;
      this.#entries.delete(key);
    }
  }
}
