import { describe, expect, it } from 'vitest';
import { gitlabReceiver, ReceiverAuthError, ReceiverPayloadError } from '../../lib/receivers/index.ts';
import { gitPushFixture, syncs } from './git-push-fixture.ts';
import { run, TOKEN } from './receiver-fixture.ts';

const AFTER = 'da1560886d4f094c3e6c9ef40349f7d38b5d27d7';
const ZERO = '0000000000000000000000000000000000000000';
const UUID = '0b9c3c4c-5bd6-4a52-a1c4-8e1a3f0e7d2b';

/**
 * A push as GitLab's "Webhook events" documentation shows it (Push events, Tag events): `ref`,
 * `after`, `checkout_sha` (null on deletion), and the project's http, ssh and web addresses.
 */
function pushPayload(ref: string, after = AFTER, kind = ref.startsWith('refs/tags/') ? 'tag_push' : 'push') {
  const urls = {
    web_url: 'https://gitlab.example.com/mike/diaspora',
    git_ssh_url: 'git@gitlab.example.com:mike/diaspora.git',
    git_http_url: 'https://gitlab.example.com/mike/diaspora.git',
  };
  return {
    object_kind: kind,
    event_name: kind,
    before: '95790bf891e76fee5e1747ab589903a6a1f80f22',
    after,
    ref,
    checkout_sha: after === ZERO ? null : after,
    user_name: 'John Smith',
    project_id: 15,
    project: { id: 15, name: 'Diaspora', path_with_namespace: 'mike/diaspora', ...urls },
    repository: { name: 'Diaspora', homepage: urls.web_url, ...urls },
    commits: [],
    total_commits_count: 0,
  };
}

const repositories = {
  app: { url: 'ssh://git@gitlab.example.com/mike/diaspora.git', ref: { branch: 'main' } },
  'app-http': { url: 'https://gitlab.example.com/Mike/Diaspora', ref: { branch: 'main' } },
  'app-tag': { url: 'https://gitlab.example.com/mike/diaspora.git', ref: { tag: 'v1.0.0' } },
  'app-semver': { url: 'https://gitlab.example.com/mike/diaspora.git', ref: { semver: '^1' } },
  'app-commit': { url: 'https://gitlab.example.com/mike/diaspora.git', ref: { commit: AFTER } },
  other: { url: 'https://gitlab.example.com/mike/other.git', ref: { branch: 'main' } },
};
const fixture = gitPushFixture('gitlab', { repositories });

const headersFor = (event: string, token = TOKEN) => ({
  'content-type': 'application/json',
  'x-gitlab-event': event,
  'x-gitlab-token': token,
  'x-gitlab-event-uuid': 'event-uuid-not-stable-across-retries',
  'idempotency-key': UUID,
});
const deliver = (event: string, payload: unknown, f = fixture) =>
  run(gitlabReceiver, f.request(JSON.stringify(payload), headersFor(event)));

describe('gitlab receiver', () => {
  it.each([
    ['a branch push', 'Push Hook', 'refs/heads/main', ['app', 'app-http'].map((n) => `${n} main`)],
    ['a tag push', 'Tag Push Hook', 'refs/tags/v1.0.0', ['app-semver', 'app-tag'].map((n) => `${n} v1.0.0`)],
    ['a tag outside the pinned tag', 'Tag Push Hook', 'refs/tags/v1.1.0', ['app-semver v1.1.0']],
    ['a system hook push', 'System Hook', 'refs/heads/main', ['app', 'app-http'].map((n) => `${n} main`)],
  ])('syncs the GitRepositories that follow %s', async (_label, event, ref, expected) => {
    const outcome = await deliver(event, pushPayload(ref));
    expect(syncs(outcome)).toEqual(expected.map((e) => `flux-system/${e}@sha1:${AFTER}`));
    expect(outcome.deliveryId).toBe(UUID);
  });

  it('changes nothing for a branch no GitRepository follows, or a deleted branch', async () => {
    const feature = await deliver('Push Hook', pushPayload('refs/heads/feature'));
    expect(feature.jobs).toEqual([]);
    expect(feature.message).toBe('nothing to sync: no GitRepository follows refs/heads/feature');
    const deleted = await deliver('Push Hook', pushPayload('refs/heads/main', ZERO));
    expect(deleted.jobs).toEqual([]);
    expect(deleted.message).toBe('nothing to sync: refs/heads/main deleted');
  });

  it('answers other events and system hooks of other kinds with zero jobs', async () => {
    const mr = await deliver('Merge Request Hook', { object_kind: 'merge_request' });
    expect(mr.message).toBe('Merge Request Hook events are ignored');
    const project = await deliver('System Hook', { object_kind: 'project_create' });
    expect(project.message).toBe('System Hook project_create events are ignored');
  });

  it('reads the event uuid as delivery id when GitLab sends no Idempotency-Key', async () => {
    const { 'idempotency-key': _, ...headers } = headersFor('Push Hook');
    const outcome = await run(
      gitlabReceiver,
      fixture.request(JSON.stringify(pushPayload('refs/heads/x')), headers),
    );
    expect(outcome.deliveryId).toBe('event-uuid-not-stable-across-retries');
  });

  it('honours the Receiver events list, as Flux does', async () => {
    const tagsOnly = gitPushFixture('gitlab', { repositories, events: ['Tag Push Hook'] });
    await expect(deliver('Push Hook', pushPayload('refs/heads/main'), tagsOnly)).rejects.toThrow(
      ReceiverPayloadError,
    );
    expect((await deliver('Tag Push Hook', pushPayload('refs/tags/v1.0.0'), tagsOnly)).jobs).toHaveLength(2);
  });

  it('refuses a missing or wrong token before reading the body', async () => {
    const { 'x-gitlab-token': _, ...missing } = headersFor('Push Hook');
    for (const headers of [missing, headersFor('Push Hook', 'wrong'), headersFor('Push Hook', '')]) {
      await expect(run(gitlabReceiver, fixture.request('not json', headers))).rejects.toThrow(
        ReceiverAuthError,
      );
    }
  });

  it.each([
    ['a body that is not JSON', '{"object_kind"'],
    ['a push without a ref', JSON.stringify({ object_kind: 'push', after: AFTER })],
    ['a push without object_kind', JSON.stringify({ ref: 'refs/heads/main', after: AFTER })],
  ])('refuses %s with the right token as malformed', async (_label, body) => {
    await expect(run(gitlabReceiver, fixture.request(body, headersFor('Push Hook')))).rejects.toThrow(
      ReceiverPayloadError,
    );
  });
});
