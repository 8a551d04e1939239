import { describe, expect, it } from 'vitest';
import { nexusReceiver, ReceiverAuthError, ReceiverPayloadError } from '../../lib/receivers/index.ts';
import { hmacHex, receiverFixture, run, scans, tamper } from './receiver-fixture.ts';

// Repository events as Sonatype documents them ("Example Headers And Payloads" for Nexus
// Repository 3: rm:repository:component and rm:repository:asset), for a docker hosted repository.
const common = {
  timestamp: '2016-11-10T23:57:49.664+0000',
  nodeId: '52905B51-085CCABB-CEBBEAAD-16795588-FC927D93',
  initiator: 'admin/127.0.0.1',
  repositoryName: 'docker-hosted',
};
const componentEvent = (action: string, component: object) =>
  JSON.stringify({
    ...common,
    action,
    component: {
      id: '08909bf0c86cf6c9600aade89e1c5e25',
      componentId: 'ZG9ja2VyLWhvc3RlZDowODkwOWJmMA',
      ...component,
    },
  });
const assetEvent = (action: string, asset: object) =>
  JSON.stringify({
    ...common,
    action,
    asset: { id: '31c950c8eeeab78336308177ae9c441c', assetId: 'ZG9ja2VyLWhvc3RlZDozMWM5NTBjOA', ...asset },
  });
const DELIVERY = '7f4a6dde-5c68-4999-bcc0-a62f3fb8ae48';
const headers = (body: string, id = 'rm:repository:component', signature = hmacHex('sha1', body)) => ({
  'content-type': 'application/json; charset=UTF-8',
  'x-nexus-webhook-signature': signature,
  'x-nexus-webhook-id': id,
  'x-nexus-webhook-delivery': DELIVERY,
});

describe('nexus receiver', () => {
  const fixture = receiverFixture('nexus', { secret: { registry: 'nexus.example.com:8443' } });
  const signed = (body: string, id?: string) => fixture.request(body, headers(body, id));

  it('scans a created docker component on the host the Secret names, named by the delivery', async () => {
    const outcome = await run(
      nexusReceiver,
      signed(componentEvent('CREATED', { format: 'docker', name: 'team/app', version: '1.2.3' })),
    );
    expect(scans(outcome)).toEqual(['nexus.example.com:8443/team/app:1.2.3']);
    expect(outcome.deliveryId).toBe(DELIVERY);
  });

  it('reads the tag of a docker manifest asset', async () => {
    const body = assetEvent('UPDATED', { format: 'docker', name: 'v2/team/app/manifests/2.0.0' });
    expect(scans(await run(nexusReceiver, signed(body, 'rm:repository:asset')))).toEqual([
      'nexus.example.com:8443/team/app:2.0.0',
    ]);
  });

  it.each([
    [
      'a deleted component',
      componentEvent('DELETED', { format: 'docker', name: 'team/app', version: '1.2.3' }),
      'deleted component team/app',
    ],
    [
      'an npm component',
      componentEvent('CREATED', { format: 'npm', name: 'angular2', group: 'types', version: '0.0.2' }),
      'npm component angular2',
    ],
    [
      'a blob asset',
      assetEvent('CREATED', {
        format: 'docker',
        name: 'v2/-/blobs/sha256:0fa20a868a60ceb7bc8a95981a4bd56fac4c2d9de1f8745eae546146e48a8e0f',
      }),
      'blob asset v2/-/blobs/sha256:0fa20a868a60ceb7bc8a95981a4bd56fac4c2d9de1f8745eae546146e48a8e0f',
    ],
    [
      'a manifest asset by digest',
      assetEvent('CREATED', {
        format: 'docker',
        name: 'v2/team/app/manifests/sha256:0fa20a868a60ceb7bc8a95981a4bd56fac4c2d9de1f8745eae546146e48a8e0f',
      }),
      'untagged asset v2/team/app/manifests/sha256:0fa20a868a60ceb7bc8a95981a4bd56fac4c2d9de1f8745eae546146e48a8e0f',
    ],
  ])('answers %s with zero jobs', async (_label, body, message) => {
    const outcome = await run(nexusReceiver, signed(body));
    expect(outcome.jobs).toEqual([]);
    expect(outcome.message).toBe(`nothing to scan: ignored ${message}`);
  });

  it('refuses unsigned, wrongly signed and tampered requests, before reading the body', async () => {
    const body = componentEvent('CREATED', { format: 'docker', name: 'team/app', version: '1.2.3' });
    const { 'x-nexus-webhook-signature': _, ...unsigned } = headers(body);
    const cases = [
      fixture.request(body, unsigned),
      fixture.request(body, headers(body, undefined, hmacHex('sha1', body, 'other-key'))),
      fixture.request(tamper(body), headers(body)),
      fixture.request('{"action": CREATED', headers(body)),
    ];
    for (const request of cases) await expect(run(nexusReceiver, request)).rejects.toThrow(ReceiverAuthError);
  });

  it.each([
    ['a body that is not JSON', '{"action": CREATED'],
    ['an event without repositoryName', JSON.stringify({ action: 'CREATED' })],
  ])('refuses %s from an authentic sender as malformed', async (_label, body) => {
    await expect(run(nexusReceiver, signed(body))).rejects.toThrow(ReceiverPayloadError);
  });

  it('says which Secret key is missing when it cannot tell the registry host', async () => {
    const bare = receiverFixture('nexus');
    const body = componentEvent('CREATED', { format: 'docker', name: 'team/app', version: '1.2.3' });
    await expect(run(nexusReceiver, bare.request(body, headers(body)))).rejects.toThrow(/no "registry" key/);
  });
});
