/**
 * HTTPS credentials for a git remote, read from a GitRepository's Secret the way Flux reads them:
 * `bearerToken` wins when present, otherwise `username` and `password` are basic auth (a password
 * without a username is refused). The values end up in one `Authorization` header and nowhere else:
 * the fields are named so the logger's redaction censors them should a GitAuth ever be logged.
 */
import { GitConfigError } from './git-errors.ts';

export type GitAuth =
  | { type: 'basic'; username: string; password: string }
  | { type: 'bearer'; token: string };

/**
 * The credentials a GitRepository Secret's values describe, or undefined when it holds none (a Secret
 * may carry only `ca.crt`, for instance).
 */
export function gitAuthFromSecret(values: Readonly<Record<string, string>>): GitAuth | undefined {
  const token = values.bearerToken;
  if (token !== undefined) {
    if (token === '')
      throw new GitConfigError('the Secret key "bearerToken" is empty', { data: { key: 'bearerToken' } });
    return { type: 'bearer', token };
  }
  const username = values.username ?? '';
  const password = values.password ?? '';
  if (username === '' && password !== '') {
    throw new GitConfigError('the Secret has a "password" but no "username"', { data: { key: 'username' } });
  }
  return username === '' ? undefined : { type: 'basic', username, password };
}

/** The `Authorization` header value for these credentials. */
export function authorizationHeader(auth: GitAuth): string {
  if (auth.type === 'bearer') return `Bearer ${auth.token}`;
  return `Basic ${Buffer.from(`${auth.username}:${auth.password}`, 'utf8').toString('base64')}`;
}

/**
 * Splits credentials written into a URL (`https://user:pass@host/repo.git`) from the URL, as Flux falls
 * back to them when the Secret has none. The returned `url` is the one to show, log and key caches by.
 */
export function splitUrlCredentials(raw: string): { url: string; auth: GitAuth | undefined } {
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch (cause) {
    throw new GitConfigError('the repository URL is not a valid URL', {
      cause,
      data: { url: redactUrl(raw) },
    });
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new GitConfigError(
      `only http:// and https:// repository URLs are supported, not ${parsed.protocol}`,
      {
        data: { url: redactUrl(raw) },
      },
    );
  }
  const username = decodeURIComponent(parsed.username);
  const password = decodeURIComponent(parsed.password);
  parsed.username = '';
  parsed.password = '';
  const url = parsed.toString().replace(/\/+$/, '');
  return { url, auth: username === '' ? undefined : { type: 'basic', username, password } };
}

/** A URL with any userinfo replaced, for messages about a URL that may not even parse. */
export function redactUrl(raw: string): string {
  return raw.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1');
}
