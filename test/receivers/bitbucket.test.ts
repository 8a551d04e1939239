import { describe, expect, it } from 'vitest';
import { bitbucketReceiver, ReceiverAuthError, ReceiverPayloadError } from '../../lib/receivers/index.ts';
import { gitPushFixture, syncs } from './git-push-fixture.ts';
import { hmacHex, run, tamper } from './receiver-fixture.ts';

const HASH = '178864a7d521b6f5e720b386b2c2b0ef8563e0dc';
const OLD = 'ecddabb624f6f5ba43816f5926e580a5f680a932';
const ZERO = '0000000000000000000000000000000000000000';

type Ref = { type: string; name: string } | null;

/**
 * Bitbucket Cloud's `repo:push`, as its "Event payloads" documentation shows it: one change per
 * ref, `new` null when the ref was closed (deleted).
 */
function cloudPush(changes: { old: Ref; new: Ref }[]) {
  const ref = (r: Ref, hash: string) => r && { ...r, target: { type: 'commit', hash } };
  return {
    actor: { display_name: 'Emma' },
    repository: {
      type: 'repository',
      name: 'fleet',
      full_name: 'team/fleet',
      scm: 'git',
      links: {
        self: { href: 'https://api.bitbucket.org/2.0/repositories/team/fleet' },
        html: { href: 'https://bitbucket.org/team/fleet' },
      },
    },
    push: {
      changes: changes.map((c) => ({
        old: ref(c.old, OLD),
        new: ref(c.new, HASH),
        created: c.old === null,
        closed: c.new === null,
        forced: false,
        truncated: false,
        commits: [],
      })),
    },
  };
}

/**
 * Bitbucket Server / Data Center's `repo:refs_changed`, as its "Event payload" documentation shows
 * it, with the repository's `links.clone` that Server 6 and later send.
 */
function serverPush(changes: { id: string; type: 'ADD' | 'UPDATE' | 'DELETE' }[]) {
  return {
    eventKey: 'repo:refs_changed',
    date: '2017-09-19T09:45:32+1000',
    actor: { name: 'admin', id: 1 },
    repository: {
      slug: 'fleet',
      id: 84,
      name: 'fleet',
      scmId: 'git',
      project: { key: 'OPS', id: 84, name: 'ops' },
      links: {
        clone: [
          { href: 'ssh://git@bitbucket.example.com:7999/ops/fleet.git', name: 'ssh' },
          { href: 'https://bitbucket.example.com/scm/ops/fleet.git', name: 'http' },
        ],
        self: [{ href: 'https://bitbucket.example.com/projects/OPS/repos/fleet/browse' }],
      },
    },
    changes: changes.map((c) => ({
      ref: { id: c.id, displayId: c.id.replace(/^refs\/(heads|tags)\//, ''), type: 'BRANCH' },
      refId: c.id,
      fromHash: c.type === 'ADD' ? ZERO : OLD,
      toHash: c.type === 'DELETE' ? ZERO : HASH,
      type: c.type,
    })),
  };
}

const repositories = {
  cloud: { url: 'https://bitbucket.org/team/fleet.git', ref: { branch: 'main' } },
  'cloud-ssh': { url: 'ssh://git@bitbucket.org/team/fleet.git', ref: { branch: 'main' } },
  'cloud-semver': { url: 'https://bitbucket.org/team/fleet.git', ref: { semver: '>=1.0.0' } },
  server: { url: 'https://bitbucket.example.com/scm/ops/fleet.git', ref: { branch: 'main' } },
  'server-ssh': { url: 'ssh://git@bitbucket.example.com:7999/ops/fleet.git', ref: { branch: 'main' } },
  'server-tag': { url: 'https://bitbucket.example.com/scm/ops/fleet.git', ref: { tag: 'v1.0.0' } },
  'server-commit': { url: 'https://bitbucket.example.com/scm/ops/fleet.git', ref: { commit: HASH } },
};
const fixture = gitPushFixture('bitbucket', { repositories });

function delivery(event: string, payload: unknown, change: Record<string, string | undefined> = {}) {
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-event-key': event,
    'x-hub-signature': `sha256=${hmacHex('sha256', body)}`,
  };
  for (const [name, value] of Object.entries(change)) {
    if (value === undefined) delete headers[name];
    else headers[name] = value;
  }
  return { body, headers };
}
const deliver = (
  event: string,
  payload: unknown,
  change?: Record<string, string | undefined>,
  f = fixture,
) => {
  const { body, headers } = delivery(event, payload, change);
  return run(bitbucketReceiver, f.request(body, headers));
};

const branch = (name: string) => ({ type: 'branch', name });
const tag = (name: string) => ({ type: 'tag', name });

describe('bitbucket receiver', () => {
  it.each([
    [
      'a Cloud branch push',
      cloudPush([{ old: branch('main'), new: branch('main') }]),
      ['cloud main', 'cloud-ssh main'],
    ],
    [
      'a Cloud push of a branch and a tag',
      cloudPush([
        { old: null, new: tag('v1.2.0') },
        { old: branch('dev'), new: branch('dev') },
      ]),
      ['cloud-semver v1.2.0'],
    ],
    ['a Cloud branch deletion', cloudPush([{ old: branch('main'), new: null }]), []],
  ])('syncs what follows %s', async (_label, payload, expected) => {
    const outcome = await deliver('repo:push', payload, { 'x-request-uuid': 'cloud-1' });
    expect(syncs(outcome)).toEqual(expected.map((e) => `flux-system/${e}@sha1:${HASH}`));
    expect(outcome.deliveryId).toBe('cloud-1');
  });

  it.each([
    [
      'a Server branch update',
      [{ id: 'refs/heads/main', type: 'UPDATE' }],
      ['server main', 'server-ssh main'],
    ],
    ['a Server tag creation', [{ id: 'refs/tags/v1.0.0', type: 'ADD' }], ['server-tag v1.0.0']],
    ['a Server branch deletion', [{ id: 'refs/heads/main', type: 'DELETE' }], []],
    ['a Server push to another branch', [{ id: 'refs/heads/feature', type: 'ADD' }], []],
  ] as const)('syncs what follows %s', async (_label, changes, expected) => {
    const outcome = await deliver('repo:refs_changed', serverPush([...changes]), {
      'x-request-id': 'server-1',
    });
    expect(syncs(outcome)).toEqual(expected.map((e) => `flux-system/${e}@sha1:${HASH}`));
    expect(outcome.deliveryId).toBe('server-1');
  });

  it('says why nothing was synced', async () => {
    const deleted = await deliver(
      'repo:refs_changed',
      serverPush([{ id: 'refs/heads/main', type: 'DELETE' }]),
    );
    expect(deleted.message).toBe('nothing to sync: refs/heads/main deleted');
    const other = await deliver('repo:push', cloudPush([{ old: null, new: branch('feature') }]));
    expect(other.message).toBe('nothing to sync: no GitRepository follows refs/heads/feature');
  });

  it('answers the Server test connection and other events with zero jobs', async () => {
    expect(await deliver('diagnostics:ping', { test: true })).toEqual({ jobs: [], message: 'ping answered' });
    expect((await deliver('pr:opened', {})).message).toBe('pr:opened events are ignored');
  });

  it('honours the Receiver events list, as Flux does', async () => {
    const serverOnly = gitPushFixture('bitbucketserver', { repositories, events: ['repo:refs_changed'] });
    const payload = cloudPush([{ old: branch('main'), new: branch('main') }]);
    await expect(deliver('repo:push', payload, {}, serverOnly)).rejects.toThrow(ReceiverPayloadError);
  });

  it('refuses unsigned, wrongly signed and tampered pushes before reading the body', async () => {
    const { body, headers } = delivery(
      'repo:push',
      cloudPush([{ old: branch('main'), new: branch('main') }]),
    );
    const cases = [
      fixture.request('not json', { ...headers, 'x-hub-signature': '' }),
      fixture.request('not json', headers),
      fixture.request(body, { ...headers, 'x-hub-signature': hmacHex('sha256', body) }),
      fixture.request(body, { ...headers, 'x-hub-signature': `sha1=${hmacHex('sha1', body)}` }),
      fixture.request(body, { ...headers, 'x-hub-signature': `sha256=${hmacHex('sha256', body, 'other')}` }),
      fixture.request(tamper(body), headers),
    ];
    for (const request of cases)
      await expect(run(bitbucketReceiver, request)).rejects.toThrow(ReceiverAuthError);
  });

  it.each([
    ['a body that is not JSON', 'repo:push', '{"push"'],
    ['a Cloud push without changes', 'repo:push', { push: {}, repository: {} }],
    [
      'a Server push with a change without a ref',
      'repo:refs_changed',
      { changes: [{ toHash: HASH }], repository: {} },
    ],
    ['a signed push without X-Event-Key', undefined, cloudPush([])],
  ])('refuses %s as malformed', async (_label, event, payload) => {
    await expect(
      deliver(event ?? 'repo:push', payload, event ? {} : { 'x-event-key': undefined }),
    ).rejects.toThrow(ReceiverPayloadError);
  });
});
