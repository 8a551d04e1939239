/**
 * Slack: one attachment coloured by severity, holding Block Kit blocks (a header with the object, the
 * text, the metadata as fields, a context line), posted to an incoming webhook or, with a bot token,
 * to chat.postMessage. Every block is kept within Slack's limits (header 150, section text 3,000,
 * 10 fields of 2,000 per section, 50 blocks) by truncating with a marker: Slack refuses the whole
 * message otherwise. Pure.
 */
import type { ContextBlock, HeaderBlock, KnownBlock, MessageAttachment, SectionBlock } from '@slack/types';
import type { Notification, ProviderEndpoint } from './notification.ts';
import { metadataEntries, notificationText, notificationTitle, severityHex } from './notification-text.ts';
import { JSON_CONTENT_TYPE, mergeHeaders, type OutgoingRequest } from './outgoing-request.ts';
import { requireAddress } from './require-address.ts';
import { truncate } from './truncate.ts';

export const SLACK_LIMITS = {
  headerText: 150,
  sectionText: 3000,
  fieldsPerSection: 10,
  fieldText: 2000,
  blocks: 50,
} as const;

/** The body of an incoming-webhook or chat.postMessage call, as ferry sends it. */
export interface SlackMessage {
  channel?: string;
  username?: string;
  attachments: [MessageAttachment & { blocks: KnownBlock[] }];
}

/** Blocks besides the metadata sections: header, text, context, and room for the "more" line. */
const FIXED_BLOCKS = 4;

export function slackPayload(notification: Notification, endpoint: ProviderEndpoint): SlackMessage {
  const { event } = notification;
  const title = notificationTitle(event);
  const text = notificationText(notification);
  const header: HeaderBlock = {
    type: 'header',
    text: { type: 'plain_text', text: truncate(title, SLACK_LIMITS.headerText), emoji: false },
  };
  const body: SectionBlock = {
    type: 'section',
    text: { type: 'mrkdwn', text: truncateEscaped(text, SLACK_LIMITS.sectionText) },
  };

  const fields = metadataEntries(event).map(([key, value]) => ({
    type: 'mrkdwn' as const,
    text: truncateEscaped(
      `*${escapeMrkdwn(key)}*\n${value}`,
      SLACK_LIMITS.fieldText,
      escapeMrkdwn(key).length + 3,
    ),
  }));
  const maxSections = SLACK_LIMITS.blocks - FIXED_BLOCKS;
  const sections: SectionBlock[] = [];
  for (let i = 0; i < fields.length && sections.length < maxSections; i += SLACK_LIMITS.fieldsPerSection) {
    sections.push({ type: 'section', fields: fields.slice(i, i + SLACK_LIMITS.fieldsPerSection) });
  }
  const shown = Math.min(fields.length, maxSections * SLACK_LIMITS.fieldsPerSection);
  const more: ContextBlock[] =
    shown < fields.length
      ? [
          {
            type: 'context',
            elements: [
              { type: 'mrkdwn', text: `… and ${fields.length - shown} more metadata keys [truncated]` },
            ],
          },
        ]
      : [];
  const context: ContextBlock = {
    type: 'context',
    elements: [
      { type: 'mrkdwn', text: escapeMrkdwn(`${event.severity} · ${event.reason} · ${event.timestamp}`) },
    ],
  };

  const message: SlackMessage = {
    attachments: [
      {
        color: severityHex(event),
        fallback: truncate(`${title}: ${text}`, SLACK_LIMITS.sectionText),
        blocks: [header, body, ...sections, ...more, context],
      },
    ],
  };
  if (endpoint.channel) message.channel = endpoint.channel;
  if (endpoint.username) message.username = endpoint.username;
  return message;
}

export function slackRequest(endpoint: ProviderEndpoint, notification: Notification): OutgoingRequest {
  const auth: Record<string, string> = endpoint.token ? { Authorization: `Bearer ${endpoint.token}` } : {};
  return {
    url: requireAddress(endpoint),
    headers: mergeHeaders(endpoint.headers, JSON_CONTENT_TYPE, auth),
    body: JSON.stringify(slackPayload(notification, endpoint)),
  };
}

/** Slack's mrkdwn treats `&`, `<` and `>` as control characters; an event message must not link or mention. */
export function escapeMrkdwn(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/**
 * Escapes, then truncates to `max` without leaving half an entity at the cut. `from` is where the
 * escaped part starts (a field's bold key is already escaped).
 */
function truncateEscaped(text: string, max: number, from = 0): string {
  const escaped = text.slice(0, from) + escapeMrkdwn(text.slice(from));
  const cut = truncate(escaped, max);
  if (cut === escaped) return cut;
  return cut.replace(/&(?:a|am|amp|l|lt|g|gt)?(?=… \[truncated\]$)/, '');
}
