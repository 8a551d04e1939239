/**
 * The parts every chat provider shows, decided once so that Slack, Discord and Teams read alike:
 * the title `Kind/name.namespace`, the text (the Alert's rendered template, else the event's
 * message), the metadata (`summary` first, then by key) and the colour of the severity. Pure.
 */
import type { FluxEvent } from '../jobs/event.ts';
import type { Notification } from './notification.ts';

export function notificationTitle(event: FluxEvent): string {
  const o = event.involvedObject;
  return `${o.kind}/${o.name}.${o.namespace}`;
}

export function notificationText(notification: Notification): string {
  return notification.text ?? notification.event.message;
}

/** Metadata as [key, value] pairs: `summary` first (it is what the Alert says about itself), then sorted. */
export function metadataEntries(event: FluxEvent): [string, string][] {
  const entries = Object.entries(event.metadata).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const summary = entries.findIndex(([key]) => key === 'summary');
  if (summary > 0) entries.unshift(...entries.splice(summary, 1));
  return entries;
}

/** Slack's `good` and `danger`, as RGB for receivers that take numbers. */
export const SEVERITY_COLOR = { info: 0x2eb886, error: 0xa30200 } as const;

export function severityHex(event: FluxEvent): string {
  return `#${SEVERITY_COLOR[event.severity].toString(16).padStart(6, '0')}`;
}
