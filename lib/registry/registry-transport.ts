/**
 * One request to a registry, with everything between ferry and an answer: the host's rate limit;
 * auth, anonymous first and then whatever the registry challenges with, remembered per host so
 * later requests authenticate up front (a Bearer token per host, scope and credentials, reused until
 * it expires); bounded retries on 429, 5xx and network errors; and errors that name the host and the
 * repository but never a credential or a token.
 */
import type { Logger } from '../observe/logger.ts';
import type { AuthChallenge } from './auth-challenge.ts';
import { pickAuthChallenge } from './auth-challenge.ts';
import type { RegistryCredentials } from './credentials.ts';
import type { ImageName } from './image-name.ts';
import { registryApiHost } from './image-name.ts';
import type { Sleep } from './rate-limiter.ts';
import { HostRateLimiter, parseRetryAfter, realSleep } from './rate-limiter.ts';
import type { RegistryErrorData } from './registry-errors.ts';
import { RegistryAuthError, RegistryProtocolError, RegistryUnavailableError } from './registry-errors.ts';
import { discardBody, MAX_TOKEN_BYTES, readJson, registryErrorCode } from './response-body.ts';
import { TokenCache, tokenCacheKey } from './token-cache.ts';

export interface RegistryRequestOptions {
  credentials?: RegistryCredentials;
  /** Plain HTTP instead of HTTPS (`spec.insecure`). */
  insecure?: boolean;
  signal?: AbortSignal;
  /** Per HTTP exchange, body included; the transport's default otherwise. */
  timeoutMs?: number;
}

export interface RegistryTransportOptions {
  limiter?: HostRateLimiter;
  tokens?: TokenCache;
  /** Tries per request on 429, 5xx and network errors, the first included; 4 by default. */
  maxAttempts?: number;
  /** The wait before the second try, doubled for each one after; 500 ms by default. */
  backoffMs?: number;
  /** A Retry-After longer than this is not waited out here: the queue retries the job later. 60 s by default. */
  maxRetryAfterMs?: number;
  /** 30 s by default. */
  timeoutMs?: number;
  now?: () => number;
  sleep?: Sleep;
  logger?: Logger;
  userAgent?: string;
}

interface Exchange {
  method: 'GET' | 'HEAD';
  accept: string;
}

export class RegistryTransport {
  readonly #limiter: HostRateLimiter;
  readonly #tokens: TokenCache;
  readonly #maxAttempts: number;
  readonly #backoffMs: number;
  readonly #maxRetryAfterMs: number;
  readonly #timeoutMs: number;
  readonly #now: () => number;
  readonly #sleep: Sleep;
  readonly #logger: Logger | undefined;
  readonly #userAgent: string;
  readonly #challenges = new Map<string, AuthChallenge>();
  readonly #pendingTokens = new Map<string, Promise<string>>();

  constructor(options: RegistryTransportOptions = {}) {
    this.#now = options.now ?? Date.now;
    this.#sleep = options.sleep ?? realSleep;
    this.#limiter = options.limiter ?? new HostRateLimiter({ now: this.#now, sleep: this.#sleep });
    this.#tokens = options.tokens ?? new TokenCache({ now: this.#now });
    this.#maxAttempts = Math.max(1, options.maxAttempts ?? 4);
    this.#backoffMs = options.backoffMs ?? 500;
    this.#maxRetryAfterMs = options.maxRetryAfterMs ?? 60_000;
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#logger = options.logger;
    this.#userAgent = options.userAgent ?? 'ferry';
  }

  /**
   * Sends `method path` for a repository and returns the answer when it is 2xx or 404 (whose meaning
   * the caller knows); throws for every other outcome. At most one retry follows a 401 or 403, with
   * the credentials or a fresh token the registry's challenge asks for.
   */
  async request(
    image: ImageName,
    path: string,
    exchange: Exchange,
    options: RegistryRequestOptions = {},
  ): Promise<Response> {
    const host = registryApiHost(image.registry);
    const data: RegistryErrorData = { host, repository: image.repository };
    const url = `${options.insecure ? 'http' : 'https'}://${host}${path}`;
    const scope = `repository:${image.repository}:pull`;
    let sent = await this.#authorization(host, scope, options, data);
    for (let renewed = false; ; renewed = true) {
      const headers: Record<string, string> = { Accept: exchange.accept };
      if (sent !== undefined) headers.Authorization = sent;
      const res = await this.#send(host, url, { method: exchange.method, headers }, options, data);
      if (res.status !== 401 && res.status !== 403) {
        if (res.ok || res.status === 404) return res;
        throw await unexpectedAnswer(res, `${exchange.method} ${path}`, data);
      }
      await discardBody(res);
      const challenge = pickAuthChallenge(res.headers.get('www-authenticate'));
      if (challenge !== undefined) this.#challenges.set(host, challenge);
      const next = renewed ? undefined : await this.#authorization(host, scope, options, data, sent ?? '');
      if (next === undefined) throw refused(res.status, data, options.credentials);
      sent = next;
    }
  }

  /**
   * The Authorization header for a host as far as its last challenge tells; undefined before any
   * challenge (anonymous), or when the only thing left to send is what was just `rejected` ('' for
   * an anonymous request). Without credentials, a Basic host is tried anonymously until it refuses:
   * some serve public repositories to anyone.
   */
  async #authorization(
    host: string,
    scope: string,
    options: RegistryRequestOptions,
    data: RegistryErrorData,
    rejected?: string,
  ): Promise<string | undefined> {
    const challenge = this.#challenges.get(host);
    if (challenge === undefined) return undefined;
    const { credentials } = options;
    if (challenge.scheme === 'basic') {
      if (credentials === undefined && rejected === undefined) return undefined;
      if (credentials === undefined) {
        throw new RegistryAuthError(
          `${host} asks for credentials to read ${data.repository}, and none are configured`,
          { ...data, status: 401 },
        );
      }
      const header = basicAuthorization(credentials);
      return header === rejected ? undefined : header;
    }
    const key = tokenCacheKey(host, scope, credentials);
    const cached = this.#tokens.get(key);
    if (cached !== undefined && `Bearer ${cached}` !== rejected) return `Bearer ${cached}`;
    if (cached !== undefined) this.#tokens.delete(key);
    let pending = this.#pendingTokens.get(key);
    if (pending === undefined) {
      pending = this.#fetchToken(challenge, scope, key, options, data).finally(() =>
        this.#pendingTokens.delete(key),
      );
      this.#pendingTokens.set(key, pending);
    }
    return `Bearer ${await pending}`;
  }

  /** The token flow of the distribution spec: GET realm?service=…&scope=…, with basic credentials when given. */
  async #fetchToken(
    challenge: AuthChallenge,
    scope: string,
    key: string,
    options: RegistryRequestOptions,
    data: RegistryErrorData,
  ): Promise<string> {
    let realm: URL;
    try {
      realm = new URL(challenge.params.realm ?? '');
    } catch {
      throw new RegistryProtocolError(`${data.host} names a token realm that is not a URL`, data);
    }
    const realmData = { ...data, realm: realm.host };
    if (realm.protocol !== 'https:' && realm.protocol !== 'http:') {
      throw new RegistryProtocolError(`${data.host} names a token realm that is not HTTP(S)`, realmData);
    }
    const { credentials } = options;
    if (realm.protocol === 'http:' && credentials !== undefined && !options.insecure) {
      throw new RegistryAuthError(
        `${data.host} asks for credentials over plain HTTP (token realm ${realm.host}); ferry sends them there only when the repository is insecure`,
        realmData,
      );
    }
    if (challenge.params.service !== undefined) realm.searchParams.set('service', challenge.params.service);
    realm.searchParams.set('scope', scope);
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (credentials !== undefined) headers.Authorization = basicAuthorization(credentials);
    // Shared by every caller waiting for this token, so no single caller's signal may cancel it.
    const shared = { ...options, signal: undefined };
    const res = await this.#send(realm.host, realm.href, { method: 'GET', headers }, shared, realmData);
    if (res.status === 401 || res.status === 403) {
      await discardBody(res);
      throw refused(res.status, realmData, credentials, `the token server ${realm.host} of `);
    }
    if (!res.ok) throw await unexpectedAnswer(res, 'token request', realmData);
    const body = (await readJson(res, MAX_TOKEN_BYTES, 'token', realmData)) as Record<string, unknown>;
    const token = body?.token ?? body?.access_token;
    if (typeof token !== 'string' || token === '') {
      throw new RegistryProtocolError(
        `the token server ${realm.host} of ${data.host} sent no token`,
        realmData,
      );
    }
    const expiresIn =
      typeof body?.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : undefined;
    this.#tokens.set(key, token, expiresIn);
    return token;
  }

  /** One exchange through the host's rate limit, retried on 429, 5xx and network errors. */
  async #send(
    limitHost: string,
    url: string,
    init: { method: string; headers: Record<string, string> },
    options: RegistryRequestOptions,
    data: RegistryErrorData,
  ): Promise<Response> {
    const headers = { ...init.headers, 'User-Agent': this.#userAgent };
    for (let attempt = 1; ; attempt++) {
      await this.#limiter.acquire(limitHost, options.signal);
      const timeout = AbortSignal.timeout(options.timeoutMs ?? this.#timeoutMs);
      const signal = options.signal === undefined ? timeout : AbortSignal.any([options.signal, timeout]);
      let res: Response | undefined;
      let failure: unknown;
      try {
        res = await fetch(url, { method: init.method, headers, signal, redirect: 'follow' });
      } catch (error) {
        options.signal?.throwIfAborted();
        failure = error;
      }
      let retryAfterMs: number | undefined;
      if (res !== undefined) {
        if (res.status !== 429 && res.status < 500) return res;
        retryAfterMs = parseRetryAfter(res.headers.get('retry-after'), this.#now());
        await discardBody(res);
      }
      const status = res?.status;
      const waitMs = retryAfterMs ?? this.#backoffMs * 2 ** (attempt - 1);
      if (status === 429) this.#limiter.throttled(limitHost, waitMs);
      const outcome = status === undefined ? `failed (${networkReason(failure)})` : `answered ${status}`;
      if (attempt >= this.#maxAttempts || waitMs > this.#maxRetryAfterMs) {
        throw new RegistryUnavailableError(
          `${limitHost} ${outcome} for ${data.repository} after ${attempt} ${attempt === 1 ? 'try' : 'tries'}`,
          {
            ...data,
            attempts: attempt,
            ...(status && { status }),
            ...(retryAfterMs !== undefined && { retryAfterMs }),
          },
          failure,
        );
      }
      this.#logger?.warn({ ...data, status, attempt, waitMs }, `registry ${outcome}; retrying`);
      // After a 429 the limiter holds the host back for the wait, and every other request to it too.
      if (status !== 429) await this.#sleep(waitMs, options.signal);
    }
  }
}

function basicAuthorization(credentials: RegistryCredentials): string {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`, 'utf8').toString('base64')}`;
}

function refused(
  status: number,
  data: RegistryErrorData,
  credentials: RegistryCredentials | undefined,
  via = '',
): RegistryAuthError {
  const who = credentials === undefined ? 'anonymous access' : 'the configured credentials';
  return new RegistryAuthError(`${via}${data.host} refused ${who} to ${data.repository} (${status})`, {
    ...data,
    status,
  });
}

async function unexpectedAnswer(
  res: Response,
  what: string,
  data: RegistryErrorData,
): Promise<RegistryProtocolError> {
  const code = await registryErrorCode(res);
  return new RegistryProtocolError(
    `${data.host} answered ${res.status}${code === undefined ? '' : ` ${code}`} to ${what} of ${data.repository}`,
    { ...data, status: res.status, ...(code !== undefined && { code }) },
  );
}

function networkReason(error: unknown): string {
  if (!(error instanceof Error)) return 'network error';
  const cause = error.cause as { code?: unknown } | undefined;
  if (typeof cause?.code === 'string') return cause.code;
  return error.name === 'TimeoutError' ? 'timed out' : error.name;
}
