/**
 * Registry credentials for Amazon ECR (`provider: aws`). ECR has no long-lived registry password:
 * GetAuthorizationToken returns `AWS:<password>` valid for 12 hours, for every repository the caller
 * may pull in that region. One token per region is kept and refreshed an hour before it expires, so
 * a scan never starts with a token that dies mid-listing; when a refresh fails while the old token
 * still holds, the old token is used and the next call tries again.
 */
import type { GetAuthorizationTokenCommand, GetAuthorizationTokenCommandOutput } from '@aws-sdk/client-ecr';
import type { RegistryCredentials } from './credentials.ts';
import { RegistryAccessError, RegistryAuthError, RegistryUnavailableError } from './registry-errors.ts';

/** The one call ferry makes; a real `ECRClient` is one. */
export interface EcrClientLike {
  send(command: GetAuthorizationTokenCommand): Promise<GetAuthorizationTokenCommandOutput>;
}

export interface EcrTokenSourceOptions {
  /** The client for a region; an `ECRClient` with the default AWS credential chain unless given. */
  clientFor?: (region: string) => EcrClientLike;
  now?: () => number;
  /** Refresh when less than this is left of a token's life; an hour by default. */
  refreshBeforeMs?: number;
}

export interface EcrRegistry {
  accountId: string;
  region: string;
  fips: boolean;
}

const ECR_HOST =
  /^(\d{12})\.dkr\.ecr(-fips)?\.([a-z0-9-]+)\.(?:amazonaws\.com(?:\.cn)?|sc2s\.sgov\.gov|c2s\.ic\.gov|cloud\.adc-e\.uk|csp\.hci\.ic\.gov)$/;
const TOKEN_LIFETIME_MS = 12 * 3600_000;
/** Errors where the AWS identity itself is refused: a retry brings the same answer. */
const REFUSED = new Set([
  'AccessDeniedException',
  'UnrecognizedClientException',
  'InvalidSignatureException',
]);

/** `123456789012.dkr.ecr.eu-west-1.amazonaws.com` → its account and region; undefined for other hosts. */
export function parseEcrHost(host: string): EcrRegistry | undefined {
  const match = ECR_HOST.exec(host.toLowerCase());
  if (match === null) return undefined;
  return { accountId: match[1]!, region: match[3]!, fips: match[2] !== undefined };
}

interface CachedToken {
  credentials: RegistryCredentials;
  expiresAt: number;
}

export class EcrTokenSource {
  readonly #clientFor: ((region: string) => EcrClientLike) | undefined;
  readonly #now: () => number;
  readonly #refreshBeforeMs: number;
  readonly #clients = new Map<string, EcrClientLike>();
  readonly #tokens = new Map<string, CachedToken>();
  readonly #pending = new Map<string, Promise<CachedToken>>();

  constructor(options: EcrTokenSourceOptions = {}) {
    this.#clientFor = options.clientFor;
    this.#now = options.now ?? Date.now;
    this.#refreshBeforeMs = options.refreshBeforeMs ?? 3600_000;
  }

  /**
   * Basic credentials (`AWS` and the token's password) for an ECR registry host. Callers asking at
   * once share one GetAuthorizationToken call.
   */
  async credentials(host: string): Promise<RegistryCredentials> {
    const ecr = parseEcrHost(host);
    if (ecr === undefined) {
      throw new RegistryAccessError(`${host} is not an Amazon ECR registry host`, { host });
    }
    const cached = this.#tokens.get(ecr.region);
    if (cached !== undefined && cached.expiresAt - this.#now() > this.#refreshBeforeMs)
      return cached.credentials;
    let pending = this.#pending.get(ecr.region);
    if (pending === undefined) {
      pending = this.#fetch(host, ecr.region).finally(() => this.#pending.delete(ecr.region));
      this.#pending.set(ecr.region, pending);
    }
    try {
      return (await pending).credentials;
    } catch (error) {
      if (cached !== undefined && cached.expiresAt > this.#now()) return cached.credentials;
      throw error;
    }
  }

  async #fetch(host: string, region: string): Promise<CachedToken> {
    const { GetAuthorizationTokenCommand } = await import('@aws-sdk/client-ecr');
    const client = await this.#client(region);
    let output: GetAuthorizationTokenCommandOutput;
    try {
      output = await client.send(new GetAuthorizationTokenCommand({}));
    } catch (error) {
      // The SDK's error is not carried: its response metadata is not ours to log.
      const awsError = error instanceof Error ? error.name : 'unknown';
      const data = { host, region, awsError };
      if (REFUSED.has(awsError)) {
        throw new RegistryAuthError(`ECR refused GetAuthorizationToken in ${region} (${awsError})`, data);
      }
      throw new RegistryUnavailableError(`ECR GetAuthorizationToken in ${region} failed (${awsError})`, data);
    }
    const data = output.authorizationData?.[0];
    const decoded = Buffer.from(data?.authorizationToken ?? '', 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon <= 0) {
      throw new RegistryAuthError(`ECR returned no usable authorization token in ${region}`, {
        host,
        region,
      });
    }
    const token: CachedToken = {
      credentials: { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) },
      expiresAt: data?.expiresAt?.getTime() ?? this.#now() + TOKEN_LIFETIME_MS,
    };
    this.#tokens.set(region, token);
    return token;
  }

  async #client(region: string): Promise<EcrClientLike> {
    let client = this.#clients.get(region);
    if (client === undefined) {
      if (this.#clientFor !== undefined) client = this.#clientFor(region);
      else {
        const { ECRClient } = await import('@aws-sdk/client-ecr');
        client = new ECRClient({ region });
      }
      this.#clients.set(region, client);
    }
    return client;
  }
}
