/**
 * The SDK's default credential provider, as a function needs it: the credentials the Lambda
 * runtime puts in the environment (the function role's), else a container credentials endpoint.
 * The function bundles put this in place of `@aws-sdk/credential-provider-node`, whose chain also
 * reads SSO sessions, ini profiles, credential processes and web identity tokens through their own
 * SDK clients: code a function never runs, a tenth of its bundle. Same exports, same expiry rule.
 */
// The two providers' own packages (dependencies of @aws-sdk/credential-providers): its index would
// bring every other provider along.
import { fromEnv } from '@aws-sdk/credential-provider-env';
import { fromHttp } from '@aws-sdk/credential-provider-http';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';

/** Refreshed five minutes before expiry, as the SDK's chain does. */
const REFRESH_BEFORE_MS = 300_000;

export const credentialsWillNeedRefresh = (credentials: AwsCredentialIdentity | undefined): boolean =>
  credentials?.expiration !== undefined;

export const credentialsTreatedAsExpired = (credentials: AwsCredentialIdentity | undefined): boolean =>
  credentials?.expiration !== undefined && credentials.expiration.getTime() - Date.now() < REFRESH_BEFORE_MS;

export function defaultProvider(init: Record<string, unknown> = {}): AwsCredentialIdentityProvider {
  const fromEnvironment = fromEnv(init);
  // fromHttp throws at once when no endpoint is configured, so it is made only when needed.
  const fromContainer = () => fromHttp(init)();
  let cached: Promise<AwsCredentialIdentity> | undefined;
  return async (options) => {
    const current = await cached?.catch(() => undefined);
    if (current && !credentialsTreatedAsExpired(current) && !options?.forceRefresh) return current;
    cached = fromEnvironment().catch(() => fromContainer());
    return await cached;
  };
}
