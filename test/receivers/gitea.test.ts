import { describe, expect, it } from 'vitest';
import { giteaReceiver, ReceiverAuthError, ReceiverPayloadError } from '../../lib/receivers/index.ts';
import { gitPushFixture, syncs } from './git-push-fixture.ts';
import { hmacHex, run, tamper } from './receiver-fixture.ts';

const AFTER = 'bffeb74224043ba2feb48d137756c8a9331c449a';
const ZERO = '0000000000000000000000000000000000000000';
const DELIVERY = 'f6266f16-1bf3-46a5-9ea4-602e06ead473';

/**
 * A push as Gitea's "Webhooks" documentation shows it: GitHub's shape, with the repository's
 * http clone URL and ssh URL on the instance's own ports.
 */
function pushPayload(ref: string, after = AFTER) {
  return {
    ref,
    before: '28e1879d029cb852e4844d9c718537df08844e03',
    after,
    compare_url: `http://localhost:3000/gitea/webhooks/compare/28e1879d029c...${after}`,
    commits: [],
    repository: {
      id: 140,
      name: 'webhooks',
      full_name: 'gitea/webhooks',
      html_url: 'http://localhost:3000/gitea/webhooks',
      ssh_url: 'ssh://gitea@localhost:2222/gitea/webhooks.git',
      clone_url: 'http://localhost:3000/gitea/webhooks.git',
    },
    pusher: { login: 'gitea' },
    sender: { login: 'gitea' },
  };
}

const repositories = {
  hooks: { url: 'http://localhost:3000/gitea/webhooks.git', ref: { branch: 'develop' } },
  'hooks-ssh': { url: 'ssh://gitea@localhost:2222/gitea/webhooks', ref: { branch: 'develop' } },
  'hooks-main': { url: 'http://localhost:3000/gitea/webhooks.git', ref: { branch: 'main' } },
  'hooks-tag': { url: 'http://localhost:3000/gitea/webhooks.git', ref: { tag: 'v2.0.0' } },
  'hooks-name': { url: 'http://localhost:3000/gitea/webhooks.git', ref: { name: 'refs/tags/v2.0.0' } },
  other: { url: 'http://localhost:3000/gitea/other.git', ref: { branch: 'develop' } },
};
const fixture = gitPushFixture('gitea', { repositories });

function delivery(payload: unknown, change: Record<string, string | undefined> = {}) {
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-gitea-event': 'push',
    'x-gitea-delivery': DELIVERY,
    'x-gitea-signature': hmacHex('sha256', body),
  };
  for (const [name, value] of Object.entries(change)) {
    if (value === undefined) delete headers[name];
    else headers[name] = value;
  }
  return { body, headers };
}
const push = (payload: unknown, change?: Record<string, string | undefined>, f = fixture) => {
  const { body, headers } = delivery(payload, change);
  return run(giteaReceiver, f.request(body, headers));
};

describe('gitea receiver', () => {
  it.each([
    ['a branch push', 'refs/heads/develop', ['hooks develop', 'hooks-ssh develop']],
    [
      'a tag push, by tag and by full name',
      'refs/tags/v2.0.0',
      ['hooks-name refs/tags/v2.0.0', 'hooks-tag v2.0.0'],
    ],
    ['a branch nobody follows', 'refs/heads/feature', []],
  ])('syncs what follows %s', async (_label, ref, expected) => {
    const outcome = await push(pushPayload(ref));
    expect(syncs(outcome)).toEqual(expected.map((e) => `flux-system/${e}@sha1:${AFTER}`));
    expect(outcome.deliveryId).toBe(DELIVERY);
  });

  it('ignores a deleted branch', async () => {
    expect(await push(pushPayload('refs/heads/develop', ZERO))).toEqual({
      jobs: [],
      message: 'nothing to sync: refs/heads/develop deleted',
      deliveryId: DELIVERY,
    });
  });

  it("reads Forgejo's own headers", async () => {
    const body = JSON.stringify(pushPayload('refs/heads/main'));
    const outcome = await run(
      giteaReceiver,
      fixture.request(body, {
        'x-forgejo-event': 'push',
        'x-forgejo-delivery': 'forgejo-1',
        'x-forgejo-signature': hmacHex('sha256', body),
      }),
    );
    expect(syncs(outcome)).toEqual([`flux-system/hooks-main main@sha1:${AFTER}`]);
    expect(outcome.deliveryId).toBe('forgejo-1');
  });

  it('answers other events with zero jobs, and refuses events the Receiver does not list', async () => {
    expect((await push({}, { 'x-gitea-event': 'issues' })).message).toBe('issues events are ignored');
    const onlyIssues = gitPushFixture('gitea', { repositories, events: ['issues'] });
    await expect(push(pushPayload('refs/heads/develop'), {}, onlyIssues)).rejects.toThrow(
      ReceiverPayloadError,
    );
  });

  it('refuses unsigned, wrongly signed and tampered pushes before reading the body', async () => {
    const { body, headers } = delivery(pushPayload('refs/heads/develop'));
    const cases = [
      fixture.request('not json', { ...headers, 'x-gitea-signature': '' }),
      fixture.request('not json', headers),
      fixture.request(body, { ...headers, 'x-gitea-signature': `sha256=${hmacHex('sha256', body)}` }),
      fixture.request(body, { ...headers, 'x-gitea-signature': hmacHex('sha256', body, 'other') }),
      fixture.request(tamper(body), headers),
    ];
    for (const request of cases) await expect(run(giteaReceiver, request)).rejects.toThrow(ReceiverAuthError);
  });

  it.each([
    ['a body that is not JSON', '{"ref"'],
    ['a push without a repository', { ref: 'refs/heads/develop', after: AFTER }],
    ['a signed push without X-Gitea-Event', pushPayload('refs/heads/develop')],
  ])('refuses %s as malformed', async (label, payload) => {
    const change = label.includes('X-Gitea-Event') ? { 'x-gitea-event': undefined } : {};
    await expect(push(payload, change)).rejects.toThrow(ReceiverPayloadError);
  });
});
