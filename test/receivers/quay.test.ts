import { describe, expect, it } from 'vitest';
import { quayReceiver, ReceiverPayloadError } from '../../lib/receivers/index.ts';
import { receiverFixture, run, scans } from './receiver-fixture.ts';

// "Repository Push" notifications as Quay's documentation (docs.quay.io, notifications guide)
// shows them; older Quay sent `updated_tags` as a map of tag to image id.
const repositoryPush = (updatedTags: unknown, dockerUrl = 'quay.io/mynamespace/repository') =>
  JSON.stringify({
    name: 'repository',
    repository: 'mynamespace/repository',
    namespace: 'mynamespace',
    docker_url: dockerUrl,
    homepage: 'https://quay.io/repository/mynamespace/repository',
    updated_tags: updatedTags,
  });

const fixture = receiverFixture('quay');

describe('quay receiver', () => {
  it('scans every updated tag of docker_url; the secret path is the only credential, as in Flux', async () => {
    const outcome = await run(quayReceiver, fixture.request(repositoryPush(['latest', '1.4.0'])));
    expect(scans(outcome)).toEqual([
      'quay.io/mynamespace/repository:1.4.0',
      'quay.io/mynamespace/repository:latest',
    ]);
    expect(outcome.deliveryId).toBeUndefined();
  });

  it('reads the older map form of updated_tags and a self-hosted host', async () => {
    const body = repositoryPush(
      { v2: 'b750fe79269d2ec9a3c593ef05b4332b1d1a02a62b4accb2c21d589ff2f5f2dc' },
      'quay.example.com:8443/ns/app',
    );
    expect(scans(await run(quayReceiver, fixture.request(body)))).toEqual([
      'quay.example.com:8443/ns/app:v2',
    ]);
  });

  it('answers notifications that are not pushes with zero jobs', async () => {
    const build = JSON.stringify({
      build_id: '296ec063',
      docker_url: 'quay.io/mynamespace/repository',
      docker_tags: ['latest'],
    });
    const outcome = await run(quayReceiver, fixture.request(build));
    expect(outcome.jobs).toEqual([]);
    expect(outcome.message).toBe(
      'nothing to scan: ignored notification for quay.io/mynamespace/repository that is not a push',
    );
  });

  it.each([
    ['a body that is not JSON', 'updated_tags=latest'],
    ['a notification without docker_url', JSON.stringify({ updated_tags: ['latest'] })],
    ['tags that are not strings', repositoryPush([1, 2])],
  ])('refuses %s as malformed', async (_label, body) => {
    await expect(run(quayReceiver, fixture.request(body))).rejects.toThrow(ReceiverPayloadError);
  });
});
