/**
 * The contract between alert matching (which events go where) and providers (how they get there).
 * Matching produces a Notification per Alert and event; a provider turns it into its receiver's
 * payload and delivers it to a ProviderEndpoint.
 */
import type { ProviderType } from '../config/index.ts';
import type { FluxEvent } from '../jobs/event.ts';

/** One event on its way through one Alert. */
export interface Notification {
  /** The event with the Alert's `eventMetadata` and `summary` already merged into its metadata. */
  event: FluxEvent;
  alert: { namespace: string; name: string };
  /** The Alert's `messageTemplate` rendered over the event; absent, the provider's default text. */
  text?: string;
}

/**
 * A Provider with its Secret resolved: everything a delivery needs. It holds secrets (the address
 * of a webhook is one, a token is one) and is never logged as a whole.
 */
export interface ProviderEndpoint {
  type: ProviderType;
  namespace: string;
  name: string;
  /** The webhook URL or API base; from the spec or the Secret's `address` key. */
  address?: string;
  channel?: string;
  username?: string;
  /** A bot or API token, from the Secret's `token` key. */
  token?: string;
  /** From the Secret's `headers` key (a YAML map). */
  headers: Record<string, string>;
  /** An http(s) proxy URL. */
  proxy?: string;
  timeoutMs: number;
}
