/**
 * The generic webhook: the event as JSON, shaped and ordered as Flux sends it, with Flux's
 * `Gotk-Component` header naming the reporting controller (`ferry`) and the Secret's headers on top.
 * An Alert's rendered messageTemplate replaces the event's message, the one field a template speaks
 * to. generic-hmac adds `X-Signature: sha256=<hex>`, the HMAC-SHA256 of the exact body bytes keyed
 * with the Secret's token. Pure (hashing is computation, not I/O).
 */
import { createHmac } from 'node:crypto';
import type { Notification, ProviderEndpoint } from './notification.ts';
import { JSON_CONTENT_TYPE, mergeHeaders, type OutgoingRequest } from './outgoing-request.ts';
import { ProviderConfigError } from './provider-config-error.ts';
import { requireAddress } from './require-address.ts';

/** The request body: Flux's event fields in Flux's order. */
export function genericPayload(notification: Notification): Record<string, unknown> {
  const e = notification.event;
  return {
    involvedObject: e.involvedObject,
    severity: e.severity,
    timestamp: e.timestamp,
    message: notification.text ?? e.message,
    reason: e.reason,
    metadata: e.metadata,
    reportingController: e.reportingController,
  };
}

export function genericRequest(endpoint: ProviderEndpoint, notification: Notification): OutgoingRequest {
  const body = JSON.stringify(genericPayload(notification));
  const signature: Record<string, string> = {};
  if (endpoint.type === 'generic-hmac') {
    if (!endpoint.token) {
      throw new ProviderConfigError(
        `Provider/${endpoint.namespace}/${endpoint.name}`,
        'spec.secretRef',
        'must name a Secret with a "token" key for type generic-hmac',
      );
    }
    signature['X-Signature'] = `sha256=${hmacSha256Hex(endpoint.token, body)}`;
  }
  return {
    url: requireAddress(endpoint),
    headers: mergeHeaders(
      JSON_CONTENT_TYPE,
      { 'Gotk-Component': notification.event.reportingController },
      endpoint.headers,
      signature,
    ),
    body,
  };
}

export function hmacSha256Hex(key: string, body: string): string {
  return createHmac('sha256', key).update(body, 'utf8').digest('hex');
}
