/**
 * Delivery of one notification to one endpoint: build the provider's request (pure), post it
 * (timeout, proxy, headers), and read the answer into a receipt or a typed error the notify job acts
 * on: DeliveryRateLimitedError (wait retryAfterSeconds), DeliveryFailedError (retry with backoff),
 * DeliveryRejectedError or ProviderConfigError (terminal). Nothing it throws or returns holds the
 * address's path, a query string or a token.
 */
import { discordRequest } from './discord.ts';
import { genericRequest } from './generic.ts';
import { githubStatusRequest } from './github-status.ts';
import { gitlabStatusRequest } from './gitlab-status.ts';
import { httpSend, type SendOptions } from './http-send.ts';
import { msteamsRequest } from './msteams.ts';
import type { Notification, ProviderEndpoint } from './notification.ts';
import { isSkipped, type OutgoingRequest, type SkippedRequest } from './outgoing-request.ts';
import { ProviderConfigError } from './provider-config-error.ts';
import {
  isSupportedProviderType,
  SUPPORTED_PROVIDER_TYPES,
  type SupportedProviderType,
} from './provider-endpoint.ts';
import { checkAnswer } from './receiver-answer.ts';
import { slackRequest } from './slack.ts';

export type DeliveryReceipt =
  | {
      outcome: 'sent';
      /** `Provider/namespace/name`. */
      provider: string;
      type: SupportedProviderType;
      host: string;
      status: number;
    }
  | {
      outcome: 'skipped';
      provider: string;
      type: SupportedProviderType;
      reason: string;
    };

export interface DeliverOptions {
  /**
   * Sends requests to a Provider without a proxy; Node's fetch by default. Through a proxy ferry
   * always uses undici's own fetch: its ProxyAgent is no dispatcher for another fetch (Node's
   * built-in one refuses it).
   */
  fetch?: typeof fetch;
  now?: () => Date;
  /** The job's deadline (see SendOptions.signal). */
  signal?: AbortSignal;
}

type RequestBuilder = (
  endpoint: ProviderEndpoint,
  notification: Notification,
) => OutgoingRequest | SkippedRequest;

/**
 * A path segment or query value at least this long is cut out of answers on its own: tokens are
 * long, while the words of a path (`services`, `webhooks`) are short and harmless.
 */
const ECHOED_PART_MIN = 12;

const BUILDERS: Record<SupportedProviderType, RequestBuilder> = {
  slack: slackRequest,
  discord: discordRequest,
  msteams: msteamsRequest,
  generic: genericRequest,
  'generic-hmac': genericRequest,
  github: githubStatusRequest,
  gitlab: gitlabStatusRequest,
};

export async function deliver(
  endpoint: ProviderEndpoint,
  notification: Notification,
  options: DeliverOptions = {},
): Promise<DeliveryReceipt> {
  const provider = `Provider/${endpoint.namespace}/${endpoint.name}`;
  const { type } = endpoint;
  if (!isSupportedProviderType(type)) {
    throw new ProviderConfigError(
      provider,
      'spec.type',
      `"${type}" is not supported by ferry; supported types: ${SUPPORTED_PROVIDER_TYPES.join(', ')}`,
    );
  }
  const built = BUILDERS[type](endpoint, notification);
  if (isSkipped(built)) return { outcome: 'skipped', provider, type, reason: built.skipped };

  const url = new URL(built.url);
  const who = { provider, host: url.host };
  const send: SendOptions = {
    timeoutMs: endpoint.timeoutMs,
    proxy: endpoint.proxy,
    fetch: options.fetch,
    who,
    signal: options.signal,
  };
  // The Secret's header values are credentials as often as not (`Authorization: ...`). A receiver
  // may echo a piece alone: a webhook's token segment, a signature parameter, the credentials
  // after an auth scheme.
  const headerValues = Object.values(endpoint.headers);
  const secrets = [
    endpoint.token,
    endpoint.address,
    built.url,
    url.pathname,
    url.search,
    endpoint.proxy,
    ...headerValues,
    ...headerValues.map((v) => v.slice(v.indexOf(' ') + 1)),
    ...[...url.pathname.split('/'), ...url.searchParams.values()].filter((p) => p.length >= ECHOED_PART_MIN),
  ];
  const context = {
    ...who,
    secrets: secrets.filter((s): s is string => s !== undefined && s !== '/' && s !== ''),
    now: options.now?.() ?? new Date(),
  };

  const check = built.duplicateCheck;
  if (check) {
    const seen = await httpSend({ method: 'GET', url: check.url, headers: check.headers }, send);
    checkAnswer(seen, context);
    if (check.isDuplicate(parseJson(seen.body))) {
      return { outcome: 'skipped', provider, type, reason: 'the commit already has this status' };
    }
  }
  const answer = await httpSend(
    { method: 'POST', url: built.url, headers: built.headers, body: built.body },
    send,
  );
  checkAnswer(answer, context);
  return { outcome: 'sent', provider, type, host: url.host, status: answer.status };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
