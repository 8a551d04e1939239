/**
 * Microsoft Teams through a workflows (Power Automate) webhook: a message with one Adaptive Card
 * (version 1.4, the highest Teams renders) holding the object as a bold title, the text (in the
 * attention colour for errors) and the metadata as a FactSet. Teams refuses messages over about
 * 28 KB, so the text, each fact and the number of facts are capped with a marker. Pure.
 */
import type { Notification, ProviderEndpoint } from './notification.ts';
import { metadataEntries, notificationText, notificationTitle } from './notification-text.ts';
import { JSON_CONTENT_TYPE, mergeHeaders, type OutgoingRequest } from './outgoing-request.ts';
import { requireAddress } from './require-address.ts';
import { TRUNCATION_MARKER, truncate } from './truncate.ts';

/** ferry's own caps, keeping a card well under Teams' 28 KB. */
export const MSTEAMS_LIMITS = { text: 10_000, facts: 40, factTitle: 100, factValue: 300 } as const;

export interface AdaptiveTextBlock {
  type: 'TextBlock';
  text: string;
  wrap: true;
  size?: 'large';
  weight?: 'bolder';
  color?: 'attention' | 'good';
}

export interface AdaptiveFactSet {
  type: 'FactSet';
  facts: { title: string; value: string }[];
}

export interface TeamsMessage {
  type: 'message';
  attachments: [
    {
      contentType: 'application/vnd.microsoft.card.adaptive';
      contentUrl: null;
      content: {
        $schema: 'http://adaptivecards.io/schemas/adaptive-card.json';
        type: 'AdaptiveCard';
        version: '1.4';
        msteams: { width: 'Full' };
        body: (AdaptiveTextBlock | AdaptiveFactSet)[];
      };
    },
  ];
}

export function msteamsPayload(notification: Notification): TeamsMessage {
  const { event } = notification;
  const entries = metadataEntries(event);
  const facts = entries.slice(0, MSTEAMS_LIMITS.facts).map(([title, value]) => ({
    title: truncate(title, MSTEAMS_LIMITS.factTitle),
    value: truncate(value, MSTEAMS_LIMITS.factValue),
  }));
  if (entries.length > MSTEAMS_LIMITS.facts) {
    facts.push({
      title: '…',
      value: `${entries.length - MSTEAMS_LIMITS.facts} more ${TRUNCATION_MARKER.slice(2)}`,
    });
  }
  const text: AdaptiveTextBlock = {
    type: 'TextBlock',
    text: truncate(notificationText(notification), MSTEAMS_LIMITS.text),
    wrap: true,
  };
  if (event.severity === 'error') text.color = 'attention';
  const body: (AdaptiveTextBlock | AdaptiveFactSet)[] = [
    { type: 'TextBlock', text: notificationTitle(event), size: 'large', weight: 'bolder', wrap: true },
    text,
  ];
  if (facts.length > 0) body.push({ type: 'FactSet', facts });
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          msteams: { width: 'Full' },
          body,
        },
      },
    ],
  };
}

export function msteamsRequest(endpoint: ProviderEndpoint, notification: Notification): OutgoingRequest {
  return {
    url: requireAddress(endpoint),
    headers: mergeHeaders(endpoint.headers, JSON_CONTENT_TYPE),
    body: JSON.stringify(msteamsPayload(notification)),
  };
}
