/**
 * An event on its way through one Alert, as the providers receive it: metadata merged with Flux's
 * precedence, text rendered from the Alert's messageTemplate. A template that fails on this event
 * is the Alert's fault, not the event's: the notification still goes out, in the provider's
 * default words, and the failure is reported for the Alert's owner to fix.
 */
import type { Alert } from '../config/index.ts';
import type { FluxEvent } from '../jobs/event.ts';
import { mergeAlertMetadata } from './alert-metadata.ts';
import { messageTemplateOf, renderMessage } from './message-template.ts';
import type { Notification } from './notification.ts';

export interface NotificationProblems {
  /** The messageTemplate failed on this event; the notification has no text. */
  onTemplateError?: (error: Error) => void;
  /** Metadata keys more than one source set (see alert-metadata.ts). */
  onMetadataConflicts?: (keys: string[]) => void;
}

export function notificationFor(
  alert: Alert,
  event: FluxEvent,
  objectAnnotations: Record<string, string> = {},
  problems: NotificationProblems = {},
): Notification {
  const { metadata, conflicts } = mergeAlertMetadata(event, alert, objectAnnotations);
  if (conflicts.length > 0) problems.onMetadataConflicts?.(conflicts);
  const merged: FluxEvent = { ...event, metadata };
  const notification: Notification = {
    event: merged,
    alert: { namespace: alert.metadata.namespace, name: alert.metadata.name },
  };
  const template = messageTemplateOf(alert);
  if (template === undefined) return notification;
  try {
    return { ...notification, text: renderMessage(template, merged) };
  } catch (error) {
    problems.onTemplateError?.(error as Error);
    return notification;
  }
}
