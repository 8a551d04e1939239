import { describe, expect, it } from 'vitest';
import { harborReceiver, ReceiverAuthError, ReceiverPayloadError } from '../../lib/receivers/index.ts';
import { receiverFixture, run, scans, TOKEN } from './receiver-fixture.ts';

// Payloads follow Harbor's documentation ("Configure Webhook Notifications", payload format) for
// the Default format, and Harbor's CloudEvents formatter (src/pkg/notifier/formats/cloudevents.go)
// for the CloudEvents format: the same event data under `data`, with a CloudEvents `id`.
const eventData = (resources: object[]) => ({
  resources,
  repository: {
    date_created: 1586922308,
    name: 'debian',
    namespace: 'test-webhook',
    repo_full_name: 'test-webhook/debian',
    repo_type: 'private',
  },
});
const TAGGED = {
  digest: 'sha256:8a9e9863dbb6e10edb5adfe917c00da84e1700fa76e7ed02476aa6e6fb8ee0d8',
  tag: 'latest',
  resource_url: 'hub.harbor.com/test-webhook/debian:latest',
};
const BY_DIGEST = {
  digest: 'sha256:dde8e930c7b6a490f728e66292bc9bce42efc9bbb5278bae40e4f30f6e00fe8c',
  tag: 'sha256:dde8e930c7b6a490f728e66292bc9bce42efc9bbb5278bae40e4f30f6e00fe8c',
  resource_url:
    'hub.harbor.com/test-webhook/debian@sha256:dde8e930c7b6a490f728e66292bc9bce42efc9bbb5278bae40e4f30f6e00fe8c',
};
const defaultEvent = (type: string, resources: object[] = [TAGGED]) =>
  JSON.stringify({ type, occur_at: 1586922308, operator: 'admin', event_data: eventData(resources) });
const cloudEvent = (type: string, resources: object[] = [TAGGED]) =>
  JSON.stringify({
    specversion: '1.0',
    requestid: '2eedfab8-61d3-4f3c-8ec3-8f82d1ec4c84',
    id: '4b2f89a6-548d-4c12-9993-a1f5790b97d2',
    source: '/projects/1/webhook/policies/3',
    type,
    datacontenttype: 'application/json',
    time: '2023-03-06T06:08:43Z',
    data: eventData(resources),
    operator: 'admin',
  });

const fixture = receiverFixture('harbor');
const signed = (body: string, authorization = TOKEN) =>
  fixture.request(body, { 'content-type': 'application/json', authorization });

describe('harbor receiver', () => {
  it('scans the pushed tag on the host of resource_url, in the Default format', async () => {
    const outcome = await run(harborReceiver, signed(defaultEvent('PUSH_ARTIFACT')));
    expect(scans(outcome)).toEqual(['hub.harbor.com/test-webhook/debian:latest']);
    expect(outcome.message).toBe('scan requested for hub.harbor.com/test-webhook/debian:latest');
    expect(outcome.deliveryId).toBeUndefined();
  });

  it('reads the CloudEvents format and names the delivery by its id', async () => {
    const outcome = await run(
      harborReceiver,
      signed(cloudEvent('harbor.artifact.pushed'), `Bearer ${TOKEN}`),
    );
    expect(scans(outcome)).toEqual(['hub.harbor.com/test-webhook/debian:latest']);
    expect(outcome.deliveryId).toBe('4b2f89a6-548d-4c12-9993-a1f5790b97d2');
  });

  it.each([
    ['a pull', defaultEvent('PULL_ARTIFACT'), 'ignored PULL_ARTIFACT event'],
    ['a delete', cloudEvent('harbor.artifact.deleted'), 'ignored harbor.artifact.deleted event'],
    ['a scan', defaultEvent('SCANNING_COMPLETED'), 'ignored SCANNING_COMPLETED event'],
    [
      'a push by digest',
      defaultEvent('PUSH_ARTIFACT', [BY_DIGEST]),
      'ignored untagged push to test-webhook/debian',
    ],
  ])('answers %s with zero jobs', async (_label, body, message) => {
    const outcome = await run(harborReceiver, signed(body));
    expect(outcome.jobs).toEqual([]);
    expect(outcome.message).toBe(`nothing to scan: ${message}`);
  });

  it.each([
    ['no Authorization header', fixture.request(defaultEvent('PUSH_ARTIFACT'))],
    ['another token', signed(defaultEvent('PUSH_ARTIFACT'), 'other')],
    ['another token, with a body that is not JSON', signed('{"type": PUSH', 'other')],
  ])('refuses %s', async (_label, request) => {
    await expect(run(harborReceiver, request)).rejects.toThrow(ReceiverAuthError);
  });

  it.each([
    ['a body that is not JSON', '{"type": PUSH'],
    ['an event without a type', JSON.stringify({ event_data: eventData([TAGGED]) })],
    [
      'a push without a repository',
      JSON.stringify({ type: 'PUSH_ARTIFACT', event_data: { resources: [TAGGED] } }),
    ],
    ['a pushed resource without resource_url', defaultEvent('PUSH_ARTIFACT', [{ tag: 'latest' }])],
  ])('refuses %s from an authentic sender as malformed', async (_label, body) => {
    await expect(run(harborReceiver, signed(body))).rejects.toThrow(ReceiverPayloadError);
  });
});
