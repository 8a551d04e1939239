import { describe, expect, it } from 'vitest';
import {
  ecrEventHints,
  ecrReceiver,
  ReceiverAuthError,
  ReceiverPayloadError,
} from '../../lib/receivers/index.ts';
import { receiverFixture, run, scans, TOKEN } from './receiver-fixture.ts';

// The "ECR Image Action" event as Amazon ECR's documentation shows it ("Amazon ECR events and
// EventBridge", example image push event), delivered whole by an EventBridge API destination.
const DIGEST = 'sha256:7f5b2640fe6fb4f46592dfd3410c4a79dac4f89e4782432e0378abcd1234abcd';
const imageAction = (detail: object, envelope: object = {}) =>
  JSON.stringify({
    version: '0',
    id: '13cde686-328b-6117-af20-0e5566167482',
    'detail-type': 'ECR Image Action',
    source: 'aws.ecr',
    account: '123456789012',
    time: '2019-11-16T01:54:34Z',
    region: 'us-west-2',
    resources: [],
    detail: {
      result: 'SUCCESS',
      'repository-name': 'team/app',
      'image-digest': DIGEST,
      'action-type': 'PUSH',
      'image-tag': '1.2.3',
      ...detail,
    },
    ...envelope,
  });

describe('ecrEventHints', () => {
  it.each([
    [
      'a successful tagged push',
      {},
      'us-west-2',
      ['123456789012.dkr.ecr.us-west-2.amazonaws.com/team/app:1.2.3'],
    ],
    [
      'a push in a China region',
      {},
      'cn-north-1',
      ['123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/team/app:1.2.3'],
    ],
    ['a failed push', { result: 'FAILURE' }, 'us-west-2', []],
    ['a delete', { 'action-type': 'DELETE' }, 'us-west-2', []],
    ['a push by digest', { 'image-tag': undefined }, 'us-west-2', []],
  ])('%s', (_label, change, region, expected) => {
    const detail = {
      'action-type': 'PUSH',
      result: 'SUCCESS',
      'repository-name': 'team/app',
      'image-tag': '1.2.3',
      'image-digest': DIGEST,
      ...change,
    };
    const hints = ecrEventHints(detail, '123456789012', region);
    expect(hints.map((h) => `${h.image}:${h.tag}`)).toEqual(expected);
    for (const hint of hints) expect(hint.digest).toBe(DIGEST);
  });
});

describe('ecr receiver', () => {
  const fixture = receiverFixture('ecr');

  it('scans the pushed image, named by the event id, with the token in Authorization', async () => {
    const outcome = await run(ecrReceiver, fixture.request(imageAction({}), { Authorization: TOKEN }));
    expect(scans(outcome)).toEqual(['123456789012.dkr.ecr.us-west-2.amazonaws.com/team/app:1.2.3']);
    expect(outcome.deliveryId).toBe('13cde686-328b-6117-af20-0e5566167482');
  });

  it('reads the API key from the header the Secret names', async () => {
    const custom = receiverFixture('ecr', { secret: { header: 'x-api-key' } });
    const outcome = await run(ecrReceiver, custom.request(imageAction({}), { 'X-Api-Key': TOKEN }));
    expect(scans(outcome)).toHaveLength(1);
  });

  it.each([
    ['a failed push', imageAction({ result: 'FAILURE' }), 'ignored failed push to team/app'],
    ['a delete', imageAction({ 'action-type': 'DELETE' }), 'ignored delete of team/app'],
    ['a push by digest', imageAction({ 'image-tag': undefined }), 'ignored untagged push to team/app'],
    ['a scan result', imageAction({}, { 'detail-type': 'ECR Image Scan' }), 'ignored ECR Image Scan event'],
  ])('answers %s with zero jobs', async (_label, body, message) => {
    const outcome = await run(ecrReceiver, fixture.request(body, { Authorization: `Bearer ${TOKEN}` }));
    expect(outcome.jobs).toEqual([]);
    expect(outcome.message).toBe(`nothing to scan: ${message}`);
  });

  it.each([
    ['no header', fixture.request(imageAction({}))],
    ['another key', fixture.request(imageAction({}), { Authorization: 'other' })],
    ['another key and a body that is not JSON', fixture.request('not json', { Authorization: 'other' })],
  ])('refuses %s', async (_label, request) => {
    await expect(run(ecrReceiver, request)).rejects.toThrow(ReceiverAuthError);
  });

  it.each([
    ['a body that is not JSON', 'not json'],
    [
      'an event without detail',
      JSON.stringify({
        'detail-type': 'ECR Image Action',
        source: 'aws.ecr',
        account: '123456789012',
        region: 'us-west-2',
      }),
    ],
    ['an account that is not one', imageAction({}, { account: 'evil.example.com/x' })],
    ['a region that is not one', imageAction({}, { region: 'x/../y' })],
  ])('refuses %s from an authentic sender as malformed', async (_label, body) => {
    await expect(run(ecrReceiver, fixture.request(body, { Authorization: TOKEN }))).rejects.toThrow(
      ReceiverPayloadError,
    );
  });
});
