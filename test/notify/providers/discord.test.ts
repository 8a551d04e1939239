/**
 * The discord provider against a local HTTP server standing in for a Discord webhook (a third-party
 * service we cannot run here), answering 204 and Discord's documented 429.
 */
import type { APIEmbed, RESTPostAPIWebhookWithTokenJSONBody } from 'discord-api-types/v10';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { deliver } from '../../../lib/notify/deliver.ts';
import { DeliveryRateLimitedError } from '../../../lib/notify/delivery-errors.ts';
import {
  DISCORD_LIMITS,
  discordPayload,
  embedLength,
  nativeWebhookUrl,
} from '../../../lib/notify/discord.ts';
import { answers, ReceiverStandin } from '../../support/notify-standins.ts';
import { endpoint, NOW, notification, now } from './fixtures.ts';

describe('discord provider', () => {
  let discord: ReceiverStandin;
  beforeAll(async () => {
    discord = await ReceiverStandin.start();
    discord.answerAlways({ status: 204 });
  });
  afterAll(() => discord.close());
  beforeEach(() => {
    discord.requests.length = 0;
  });

  it('posts a native webhook payload: one embed with colour, title, description, fields; no mentions', async () => {
    const n = notification({
      metadata: { revision: 'main@sha1:abc', summary: 'prod' },
      message: '@everyone applied',
    });
    const receipt = await deliver(
      endpoint('discord', `${discord.origin}/api/webhooks/123/tok`, { username: 'flux' }),
      n,
      { now },
    );
    expect(receipt).toMatchObject({ outcome: 'sent', status: 204 });
    expect(discord.requests[0]?.path).toBe('/api/webhooks/123/tok');
    expect(discord.requests[0]?.json()).toEqual({
      embeds: [
        {
          title: 'Kustomization/apps.flux-system',
          description: '@everyone applied',
          color: 0x2eb886,
          timestamp: NOW.toISOString(),
          footer: { text: 'info · ReconciliationSucceeded' },
          fields: [
            { name: 'summary', value: 'prod', inline: true },
            { name: 'revision', value: 'main@sha1:abc', inline: true },
          ],
        },
      ],
      allowed_mentions: { parse: [] },
      username: 'flux',
    } satisfies RESTPostAPIWebhookWithTokenJSONBody);
  });

  it('posts to the plain webhook URL when the address ends in the Slack-compatible /slack', async () => {
    await deliver(
      endpoint('discord', `${discord.origin}/api/webhooks/123/tok/slack?thread_id=9`),
      notification(),
      {
        now,
      },
    );
    expect(discord.requests[0]?.path).toBe('/api/webhooks/123/tok?thread_id=9');
    expect(nativeWebhookUrl('https://discord.com/api/webhooks/1/t/github/')).toBe(
      'https://discord.com/api/webhooks/1/t',
    );
    expect(nativeWebhookUrl('https://discord.com/api/webhooks/1/slackers')).toBe(
      'https://discord.com/api/webhooks/1/slackers',
    );
  });

  it('colours errors red', () => {
    const embed = discordPayload(notification({ severity: 'error' }), endpoint('discord', 'https://d.test/x'))
      .embeds?.[0];
    expect(embed?.color).toBe(0xa30200);
  });

  it("waits the JSON body's fractional retry_after on 429", async () => {
    discord.script(answers.discordRateLimited(1.5));
    const error = await deliver(endpoint('discord', discord.origin), notification(), { now }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DeliveryRateLimitedError);
    expect(error).toMatchObject({ failure: 'transient', retryAfterSeconds: 1.5 });
  });

  it('stays within every Discord limit with a huge message and 100 long metadata keys', () => {
    const metadata = Object.fromEntries(
      Array.from({ length: 100 }, (_, i) => [`${'k'.repeat(300)}${i}`, 'v'.repeat(2000)]),
    );
    const n = notification({
      involvedObject: { kind: 'Kustomization', name: 'n'.repeat(300), namespace: 'apps' },
      message: 'm'.repeat(10_000),
      metadata,
    });
    const payload = discordPayload(n, endpoint('discord', 'https://d.test/x', { username: 'u'.repeat(100) }));
    const embed = payload.embeds?.[0] as APIEmbed;
    expect(payload.username?.length).toBe(DISCORD_LIMITS.username);
    expect(payload.content).toBeUndefined();
    expect(embed.title?.length).toBe(DISCORD_LIMITS.title);
    expect(embed.title).toMatch(/… \[truncated\]$/);
    expect(embed.description?.length).toBe(DISCORD_LIMITS.description);
    expect(embed.description).toMatch(/… \[truncated\]$/);
    expect(embedLength(embed)).toBeLessThanOrEqual(DISCORD_LIMITS.embedTotal);
    const fields = embed.fields ?? [];
    expect(fields.length).toBeGreaterThan(0);
    expect(fields.length).toBeLessThanOrEqual(DISCORD_LIMITS.fields);
    for (const f of fields) {
      expect(f.name.length).toBeLessThanOrEqual(DISCORD_LIMITS.fieldName);
      expect(f.value.length).toBeLessThanOrEqual(DISCORD_LIMITS.fieldValue);
    }
    const last = fields[fields.length - 1];
    expect(last?.name).toBe('…');
    expect(last?.value).toBe(`${100 - (fields.length - 1)} more metadata keys [truncated]`);
  });

  it('keeps at most 25 fields, the last saying how many more there are', () => {
    const metadata = Object.fromEntries(
      Array.from({ length: 40 }, (_, i) => [`k${String(i).padStart(2, '0')}`, 'v']),
    );
    const embed = discordPayload(notification({ metadata }), endpoint('discord', 'https://d.test/x'))
      .embeds?.[0];
    expect(embed?.fields).toHaveLength(DISCORD_LIMITS.fields);
    expect(embed?.fields?.[23]).toEqual({ name: 'k23', value: 'v', inline: true });
    expect(embed?.fields?.[24]).toEqual({ name: '…', value: '16 more metadata keys [truncated]' });
  });

  it('sends 25 fields without a marker when exactly 25 keys fit', () => {
    const metadata = Object.fromEntries(
      Array.from({ length: 25 }, (_, i) => [`k${String(i).padStart(2, '0')}`, 'v']),
    );
    const embed = discordPayload(notification({ metadata }), endpoint('discord', 'https://d.test/x'))
      .embeds?.[0];
    expect(embed?.fields?.map((f) => f.name)).toEqual(Object.keys(metadata));
  });
});
