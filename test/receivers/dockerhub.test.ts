import { describe, expect, it } from 'vitest';
import { dockerhubReceiver, ReceiverPayloadError } from '../../lib/receivers/index.ts';
import { receiverFixture, run, scans } from './receiver-fixture.ts';

// The payload of Docker Hub's documentation (docs.docker.com, "Webhooks", example payload).
const push = (tag: string | null, repoName = 'svendowideit/testhook') =>
  JSON.stringify({
    callback_url:
      'https://registry.hub.docker.com/u/svendowideit/testhook/hook/2141b5bi5i5b02bec211i4eeih0242eg11000a/',
    push_data: { pushed_at: 1417566161, pusher: 'trustedbuilder', tag },
    repository: {
      comment_count: 0,
      date_created: 1417494799,
      description: '',
      is_official: false,
      is_private: true,
      is_trusted: true,
      name: 'testhook',
      namespace: 'svendowideit',
      owner: 'svendowideit',
      repo_name: repoName,
      repo_url: 'https://registry.hub.docker.com/u/svendowideit/testhook/',
      star_count: 0,
      status: 'Active',
    },
  });

const fixture = receiverFixture('dockerhub');

describe('dockerhub receiver', () => {
  it('scans repo_name:tag on Docker Hub; the secret path is the only credential, as in Flux', async () => {
    const outcome = await run(dockerhubReceiver, fixture.request(push('latest')));
    expect(scans(outcome)).toEqual(['docker.io/svendowideit/testhook:latest']);
    expect(outcome.message).toBe('scan requested for docker.io/svendowideit/testhook:latest');
    expect(outcome.deliveryId).toBeUndefined();
  });

  it('canonicalises an official image to docker.io/library', async () => {
    expect(scans(await run(dockerhubReceiver, fixture.request(push('1.27', 'nginx'))))).toEqual([
      'docker.io/library/nginx:1.27',
    ]);
  });

  it('answers a push without a tag with zero jobs', async () => {
    const outcome = await run(dockerhubReceiver, fixture.request(push(null)));
    expect(outcome).toEqual({
      jobs: [],
      message: 'nothing to scan: ignored untagged push to svendowideit/testhook',
    });
  });

  it.each([
    ['a body that is not JSON', '{"push_data":'],
    ['a payload without repository', JSON.stringify({ push_data: { tag: 'latest' } })],
    ['an invalid repository name', push('latest', 'Not/Valid')],
    ['an invalid tag', push('-bad tag')],
  ])('refuses %s as malformed', async (_label, body) => {
    await expect(run(dockerhubReceiver, fixture.request(body))).rejects.toThrow(ReceiverPayloadError);
  });
});
