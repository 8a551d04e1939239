/**
 * The address of an endpoint that must have one. resolveProviderEndpoint guarantees it; an endpoint
 * built by hand may not, and gets the same terminal error.
 */
import type { ProviderEndpoint } from './notification.ts';
import { ProviderConfigError } from './provider-config-error.ts';

export function requireAddress(endpoint: ProviderEndpoint): string {
  if (endpoint.address === undefined || endpoint.address === '') {
    throw new ProviderConfigError(
      `Provider/${endpoint.namespace}/${endpoint.name}`,
      'address',
      `is required for type ${endpoint.type}`,
    );
  }
  return endpoint.address;
}
