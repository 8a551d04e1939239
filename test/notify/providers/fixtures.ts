/**
 * Events, notifications and endpoints for the provider tests, on a pinned clock.
 */
import type { FluxEvent } from '../../../lib/jobs/event.ts';
import type { Notification, ProviderEndpoint } from '../../../lib/notify/notification.ts';

export const NOW = new Date('2026-03-01T12:00:00Z');
export const now = () => NOW;

export const SHA = '731f7eaddfb6af01cb2173e18f0f75b0ba780ef1';

export function event(overrides: Partial<FluxEvent> = {}): FluxEvent {
  return {
    involvedObject: { kind: 'Kustomization', name: 'apps', namespace: 'flux-system' },
    severity: 'info',
    reason: 'ReconciliationSucceeded',
    message: 'Applied revision: main@sha1:731f7ead',
    metadata: { revision: `main@sha1:${SHA}` },
    timestamp: NOW.toISOString(),
    reportingController: 'ferry',
    ...overrides,
  };
}

export function notification(overrides: Partial<FluxEvent> = {}, text?: string): Notification {
  const n: Notification = { event: event(overrides), alert: { namespace: 'flux-system', name: 'on-call' } };
  if (text !== undefined) n.text = text;
  return n;
}

export function endpoint(
  type: ProviderEndpoint['type'],
  address: string | undefined,
  extra: Partial<ProviderEndpoint> = {},
): ProviderEndpoint {
  return { type, namespace: 'flux-system', name: type, address, headers: {}, timeoutMs: 5000, ...extra };
}
