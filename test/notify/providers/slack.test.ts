/**
 * The slack provider against a local HTTP server standing in for Slack's incoming webhooks and
 * chat.postMessage (a third-party service we cannot run here), answering as Slack documents.
 */
import type { KnownBlock, SectionBlock } from '@slack/types';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { deliver } from '../../../lib/notify/deliver.ts';
import { DeliveryRateLimitedError, DeliveryRejectedError } from '../../../lib/notify/delivery-errors.ts';
import { SLACK_LIMITS, type SlackMessage, slackPayload } from '../../../lib/notify/slack.ts';
import { answers, ReceiverStandin } from '../../support/notify-standins.ts';
import { endpoint, NOW, notification, now } from './fixtures.ts';

describe('slack provider', () => {
  let slack: ReceiverStandin;
  beforeAll(async () => {
    slack = await ReceiverStandin.start();
  });
  afterAll(() => slack.close());
  beforeEach(() => {
    slack.requests.length = 0;
  });

  it('posts one attachment coloured by severity: header, text, metadata fields, context', async () => {
    const n = notification({
      severity: 'error',
      reason: 'HealthCheckFailed',
      message: 'Deployment/apps/web: <not ready> & rolling back',
      metadata: { revision: 'main@sha1:abc', summary: 'prod eu' },
    });
    const receipt = await deliver(endpoint('slack', `${slack.origin}/services/T0/B0/secret`), n, { now });
    expect(receipt).toMatchObject({ outcome: 'sent', type: 'slack', status: 200 });
    const req = slack.requests[0];
    expect(req?.path).toBe('/services/T0/B0/secret');
    expect(req?.headers.authorization).toBeUndefined();
    expect(req?.json()).toEqual({
      attachments: [
        {
          color: '#a30200',
          fallback: 'Kustomization/apps.flux-system: Deployment/apps/web: <not ready> & rolling back',
          blocks: [
            {
              type: 'header',
              text: { type: 'plain_text', text: 'Kustomization/apps.flux-system', emoji: false },
            },
            {
              type: 'section',
              text: { type: 'mrkdwn', text: 'Deployment/apps/web: &lt;not ready&gt; &amp; rolling back' },
            },
            {
              type: 'section',
              fields: [
                { type: 'mrkdwn', text: '*summary*\nprod eu' },
                { type: 'mrkdwn', text: '*revision*\nmain@sha1:abc' },
              ],
            },
            {
              type: 'context',
              elements: [{ type: 'mrkdwn', text: `error · HealthCheckFailed · ${NOW.toISOString()}` }],
            },
          ],
        },
      ],
    } satisfies SlackMessage);
  });

  it('posts with a bot token to chat.postMessage, naming the channel and username', async () => {
    slack.script(answers.json(200, { ok: true, channel: 'C1', ts: '1.2' }));
    const ep = endpoint('slack', `${slack.origin}/api/chat.postMessage`, {
      token: 'xoxb-1-2-3',
      channel: 'deploys',
      username: 'flux',
    });
    await deliver(ep, notification(), { now });
    const req = slack.requests[0];
    expect(req?.headers.authorization).toBe('Bearer xoxb-1-2-3');
    expect(req?.json()).toMatchObject({
      channel: 'deploys',
      username: 'flux',
      attachments: [{ color: '#2eb886' }],
    });
  });

  it('uses the rendered message template as the text', async () => {
    await deliver(endpoint('slack', slack.origin), notification({}, 'apps synced to *prod*'), { now });
    const sent = slack.requests[0]?.json() as SlackMessage | undefined;
    const blocks = sent?.attachments[0].blocks ?? [];
    expect(blocks[1]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: 'apps synced to *prod*' } });
  });

  it("treats chat.postMessage's 200 with ok:false as refused, with Slack's error", async () => {
    slack.script(answers.json(200, { ok: false, error: 'channel_not_found' }));
    const ep = endpoint('slack', slack.origin, { token: 'xoxb-1', channel: 'gone' });
    const error = await deliver(ep, notification(), { now }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryRejectedError);
    expect(error).toMatchObject({ failure: 'terminal', answer: 'channel_not_found', data: { status: 200 } });
  });

  it('waits as long as Retry-After says on 429, and on ok:false ratelimited', async () => {
    slack.script(answers.slackRateLimited(12));
    const limited = await deliver(endpoint('slack', slack.origin), notification(), { now }).catch(
      (e: unknown) => e,
    );
    expect(limited).toBeInstanceOf(DeliveryRateLimitedError);
    expect(limited).toMatchObject({ failure: 'transient', retryAfterSeconds: 12 });

    slack.script({
      ...answers.json(200, { ok: false, error: 'ratelimited' }),
      headers: { 'retry-after': '7' },
    });
    const ep = endpoint('slack', slack.origin, { token: 'xoxb-1', channel: 'c' });
    await expect(deliver(ep, notification(), { now })).rejects.toMatchObject({
      name: 'DeliveryRateLimitedError',
      retryAfterSeconds: 7,
    });
  });

  it("stays within Slack's block limits with a long text, a long title and 600 metadata keys", () => {
    const metadata = Object.fromEntries(
      Array.from({ length: 600 }, (_, i) => [`key-${String(i).padStart(3, '0')}`, '<v>'.repeat(1000)]),
    );
    const n = notification(
      {
        involvedObject: { kind: 'Kustomization', name: 'n'.repeat(200), namespace: 'flux-system' },
        message: '&'.repeat(5000),
        metadata,
      },
      undefined,
    );
    const blocks: KnownBlock[] = slackPayload(n, endpoint('slack', 'https://hooks.slack.test/x'))
      .attachments[0].blocks;
    expect(blocks.length).toBe(SLACK_LIMITS.blocks);
    const [header, body] = blocks;
    expect(header?.type === 'header' && header.text.text.length).toBe(SLACK_LIMITS.headerText);
    expect(header?.type === 'header' && header.text.text).toMatch(/… \[truncated\]$/);
    const text = (body as SectionBlock).text?.text ?? '';
    expect(text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
    // The cut never leaves half an entity before the marker.
    expect(text).toMatch(/^(&amp;)+… \[truncated\]$/);
    const sections = blocks.filter((b): b is SectionBlock => b.type === 'section' && b.fields !== undefined);
    expect(sections).toHaveLength(SLACK_LIMITS.blocks - 4);
    for (const s of sections) {
      expect(s.fields?.length).toBeLessThanOrEqual(SLACK_LIMITS.fieldsPerSection);
      for (const f of s.fields ?? []) {
        expect(f.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fieldText);
        expect(f.text).toMatch(/^\*key-\d{3}\*\n(&lt;v&gt;)+(&lt;v?)?… \[truncated\]$/);
      }
    }
    const more = blocks[blocks.length - 2];
    expect(more).toEqual({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: '… and 140 more metadata keys [truncated]' }],
    });
    const fallback =
      slackPayload(n, endpoint('slack', 'https://hooks.slack.test/x')).attachments[0].fallback ?? '';
    expect(fallback.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
  });
});
