import { describe, expect, it } from 'vitest';
import { acrReceiver, ReceiverAuthError, ReceiverPayloadError } from '../../lib/receivers/index.ts';
import { receiverFixture, run, scans, TOKEN } from './receiver-fixture.ts';

// Events as the Azure Container Registry webhook reference documents them (learn.microsoft.com,
// "Azure Container Registry webhook reference": push, delete and chart events, the ping action).
const event = (action: string, target: object = { repository: 'hello-world', tag: 'v1' }) =>
  JSON.stringify({
    id: 'cb8c3971-9adc-488b-bdd8-43cbb4974ff5',
    timestamp: '2017-11-17T16:52:01.343145347Z',
    action,
    target: {
      mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
      size: 524,
      digest: 'sha256:80f0d5c8786bb9e621a45ece0db56d11cdc624ad20da9fe62e9d25490f331d7d',
      length: 524,
      ...target,
    },
    request: {
      id: '3cbb6949-7549-4fa1-86cd-a6d5451dffc7',
      host: 'myregistry.azurecr.io',
      method: 'PUT',
      useragent:
        'docker/17.09.0-ce go/go1.8.3 git-commit/afdb6d4 kernel/4.10.0-27-generic os/Linux arch/amd64',
    },
  });

describe('acr receiver', () => {
  const fixture = receiverFixture('acr');

  it('scans host/repository:tag of a push, named by the event id', async () => {
    const outcome = await run(
      acrReceiver,
      fixture.request(event('push'), { Authorization: `Bearer ${TOKEN}` }),
    );
    expect(scans(outcome)).toEqual(['myregistry.azurecr.io/hello-world:v1']);
    expect(outcome.deliveryId).toBe('cb8c3971-9adc-488b-bdd8-43cbb4974ff5');
  });

  it('reads the token from the header the Secret names', async () => {
    const custom = receiverFixture('acr', { secret: { header: 'X-Ferry-Token' } });
    const outcome = await run(acrReceiver, custom.request(event('push'), { 'x-ferry-token': TOKEN }));
    expect(scans(outcome)).toEqual(['myregistry.azurecr.io/hello-world:v1']);
    const elsewhere = custom.request(event('push'), { Authorization: TOKEN });
    await expect(run(acrReceiver, elsewhere)).rejects.toThrow(/no x-ferry-token header/);
  });

  it.each([
    ['ping', event('ping'), 'ignored ping event'],
    ['delete', event('delete'), 'ignored delete event'],
    ['chart_push', event('chart_push', { name: 'mychart', version: '1.0.0' }), 'ignored chart_push event'],
    [
      'push by digest',
      event('push', { repository: 'hello-world', tag: undefined }),
      'ignored untagged push to hello-world',
    ],
  ])('answers %s with zero jobs', async (_label, body, message) => {
    const outcome = await run(acrReceiver, fixture.request(body, { Authorization: TOKEN }));
    expect(outcome.jobs).toEqual([]);
    expect(outcome.message).toBe(`nothing to scan: ${message}`);
  });

  it.each([
    ['no token', fixture.request(event('push'))],
    ['another token', fixture.request(event('push'), { Authorization: 'Bearer guess' })],
    ['another token and a body that is not JSON', fixture.request('{"action":', { Authorization: 'guess' })],
  ])('refuses %s', async (_label, request) => {
    await expect(run(acrReceiver, request)).rejects.toThrow(ReceiverAuthError);
  });

  it.each([
    ['a body that is not JSON', '{"action":'],
    ['an event without action', JSON.stringify({ id: 'x' })],
    [
      'a push without request.host',
      JSON.stringify({ action: 'push', target: { repository: 'a', tag: 'v1' } }),
    ],
  ])('refuses %s from an authentic sender as malformed', async (_label, body) => {
    await expect(run(acrReceiver, fixture.request(body, { Authorization: TOKEN }))).rejects.toThrow(
      ReceiverPayloadError,
    );
  });
});
