/**
 * Discord: the native webhook payload, one embed coloured by severity with the object as title, the
 * text as description, the metadata as fields and the reason in the footer; mentions disabled, so an
 * event message can never ping a channel. Discord refuses a payload over its limits (title 256,
 * description 4,096, 25 fields with names of 256 and values of 1,024, 6,000 characters in all), so
 * every part is truncated with a marker, the text first served, the metadata fitted into what is
 * left. Pure.
 *
 * Flux posts a Slack-shaped payload to the webhook's `/slack` endpoint, so a Flux user's address may
 * end in `/slack` (or `/github`). ferry sends the native payload, which only the plain webhook URL
 * accepts: that suffix is dropped rather than posting native JSON where Discord expects Slack's.
 */
import type { APIEmbed, APIEmbedField, RESTPostAPIWebhookWithTokenJSONBody } from 'discord-api-types/v10';
import type { Notification, ProviderEndpoint } from './notification.ts';
import { metadataEntries, notificationText, notificationTitle, SEVERITY_COLOR } from './notification-text.ts';
import { JSON_CONTENT_TYPE, mergeHeaders, type OutgoingRequest } from './outgoing-request.ts';
import { requireAddress } from './require-address.ts';
import { TRUNCATION_MARKER, truncate } from './truncate.ts';

export const DISCORD_LIMITS = {
  content: 2000,
  username: 80,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  embedTotal: 6000,
} as const;

/** The characters of an embed that count toward Discord's 6,000. */
export function embedLength(embed: APIEmbed): number {
  return (
    (embed.title?.length ?? 0) +
    (embed.description?.length ?? 0) +
    (embed.footer?.text.length ?? 0) +
    (embed.author?.name.length ?? 0) +
    (embed.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0)
  );
}

export function discordPayload(
  notification: Notification,
  endpoint: ProviderEndpoint,
): RESTPostAPIWebhookWithTokenJSONBody {
  const { event } = notification;
  const title = truncate(notificationTitle(event), DISCORD_LIMITS.title);
  const footer = truncate(`${event.severity} · ${event.reason}`, DISCORD_LIMITS.footer);
  const description = truncate(
    notificationText(notification) || '\u200b',
    Math.min(DISCORD_LIMITS.description, DISCORD_LIMITS.embedTotal - title.length - footer.length),
  );
  const budget = DISCORD_LIMITS.embedTotal - title.length - footer.length - description.length;
  const embed: APIEmbed = {
    title,
    description,
    color: SEVERITY_COLOR[event.severity],
    timestamp: event.timestamp,
    footer: { text: footer },
  };
  const fields = fitFields(metadataEntries(event), budget);
  if (fields.length > 0) embed.fields = fields;

  const payload: RESTPostAPIWebhookWithTokenJSONBody = {
    embeds: [embed],
    allowed_mentions: { parse: [] },
  };
  if (endpoint.username) payload.username = truncate(endpoint.username, DISCORD_LIMITS.username, '…');
  return payload;
}

export function discordRequest(endpoint: ProviderEndpoint, notification: Notification): OutgoingRequest {
  return {
    url: nativeWebhookUrl(requireAddress(endpoint)),
    headers: mergeHeaders(endpoint.headers, JSON_CONTENT_TYPE),
    body: JSON.stringify(discordPayload(notification, endpoint)),
  };
}

/** The webhook URL without a Slack- or GitHub-compatible suffix; query (`thread_id`) kept. */
export function nativeWebhookUrl(address: string): string {
  const url = new URL(address);
  url.pathname = url.pathname.replace(/\/(?:slack|github)\/?$/, '');
  return url.toString();
}

/** A field saying how many keys did not fit. */
function moreField(count: number): APIEmbedField {
  return { name: '…', value: `${count} more metadata keys ${TRUNCATION_MARKER.slice(2)}` };
}

/** Metadata fields within 25 and within `budget` characters, with a closing "more" field when cut. */
function fitFields(entries: [string, string][], budget: number): APIEmbedField[] {
  const fields: APIEmbedField[] = [];
  // Room for the "more" field is kept back whenever anything could be left out.
  const reserve = moreField(entries.length).name.length + moreField(entries.length).value.length;
  let left = budget;
  for (const [i, [key, rawValue]] of entries.entries()) {
    const isLast = i === entries.length - 1;
    const room = isLast ? left : left - reserve;
    const slots = DISCORD_LIMITS.fields - (isLast ? 0 : 1);
    if (fields.length >= slots) break;
    const name = truncate(key || '\u200b', DISCORD_LIMITS.fieldName);
    const valueRoom = Math.min(DISCORD_LIMITS.fieldValue, room - name.length);
    // A value cut to less than a marker's length says nothing; stop and say what is missing instead.
    if (valueRoom < Math.min(rawValue.length, TRUNCATION_MARKER.length + 1) || valueRoom < 1) break;
    const value = truncate(rawValue || '\u200b', valueRoom);
    fields.push({ name, value, inline: value.length <= 40 });
    left -= name.length + value.length;
  }
  if (fields.length < entries.length) fields.push(moreField(entries.length - fields.length));
  return fields;
}
