/**
 * The msteams provider against a local HTTP server standing in for a Teams workflows webhook (a
 * third-party service we cannot run here).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliver } from '../../../lib/notify/deliver.ts';
import { MSTEAMS_LIMITS, msteamsPayload, type TeamsMessage } from '../../../lib/notify/msteams.ts';
import { ReceiverStandin } from '../../support/notify-standins.ts';
import { endpoint, notification, now } from './fixtures.ts';

describe('msteams provider', () => {
  let teams: ReceiverStandin;
  beforeAll(async () => {
    teams = await ReceiverStandin.start();
    teams.answerAlways({ status: 202 });
  });
  afterAll(() => teams.close());

  it('posts an Adaptive Card 1.4 message: title, text in the attention colour for errors, facts', async () => {
    const n = notification({
      severity: 'error',
      message: 'health check failed',
      metadata: { revision: 'main@sha1:abc', summary: 'prod', cluster: 'eu-1' },
    });
    const path = '/workflows/abc/triggers/manual/paths/invoke?api-version=2016-06-01&sig=s3cret';
    const receipt = await deliver(endpoint('msteams', `${teams.origin}${path}`), n, { now });
    expect(receipt).toMatchObject({ outcome: 'sent', status: 202 });
    expect(teams.requests[0]?.path).toBe(path);
    expect(teams.requests[0]?.json()).toEqual({
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
            body: [
              {
                type: 'TextBlock',
                text: 'Kustomization/apps.flux-system',
                size: 'large',
                weight: 'bolder',
                wrap: true,
              },
              { type: 'TextBlock', text: 'health check failed', wrap: true, color: 'attention' },
              {
                type: 'FactSet',
                facts: [
                  { title: 'summary', value: 'prod' },
                  { title: 'cluster', value: 'eu-1' },
                  { title: 'revision', value: 'main@sha1:abc' },
                ],
              },
            ],
          },
        },
      ],
    } satisfies TeamsMessage);
  });

  it('caps the text, each fact and the number of facts, saying so', () => {
    const metadata = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`key${i}`, 'v'.repeat(1000)]));
    const body = msteamsPayload(notification({ message: 'm'.repeat(20_000), metadata })).attachments[0]
      .content.body;
    const text = body[1];
    expect(text?.type === 'TextBlock' && text.text.length).toBe(MSTEAMS_LIMITS.text);
    const facts = body[2]?.type === 'FactSet' ? body[2].facts : [];
    expect(facts).toHaveLength(MSTEAMS_LIMITS.facts + 1);
    expect(facts.every((f) => f.value.length <= MSTEAMS_LIMITS.factValue)).toBe(true);
    expect(facts[MSTEAMS_LIMITS.facts]).toEqual({ title: '…', value: '20 more [truncated]' });
    expect(JSON.stringify(body).length).toBeLessThan(28_000);
  });

  it('leaves the FactSet out when there is no metadata, and the text uncoloured for info', () => {
    const body = msteamsPayload(notification({ metadata: {} })).attachments[0].content.body;
    expect(body).toHaveLength(2);
    expect(body[1]).toEqual({ type: 'TextBlock', text: 'Applied revision: main@sha1:731f7ead', wrap: true });
  });
});
