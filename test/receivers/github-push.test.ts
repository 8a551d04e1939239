import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import examples from '@octokit/webhooks-examples' with { type: 'json' };
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../lib/http/app.ts';
import { JobEnqueuer } from '../../lib/jobs/enqueuer.ts';
import { createMetrics } from '../../lib/observe/metrics.ts';
import { EmbeddedJobQueueFactory } from '../../lib/queue/index.ts';
import {
  githubReceiver,
  RECEIVER_HANDLERS,
  ReceiverAuthError,
  ReceiverIndex,
  ReceiverPayloadError,
  receiverDigest,
} from '../../lib/receivers/index.ts';
import { EmbeddedStateStore } from '../../lib/state/index.ts';
import { captureLogs } from '../support/log-capture.ts';
import { gitPushFixture, syncs } from './git-push-fixture.ts';
import { hmacHex, run, TOKEN, tamper } from './receiver-fixture.ts';

const definitions = examples as unknown as { name: string; examples: Record<string, unknown>[] }[];
const pushes = definitions.find((d) => d.name === 'push')?.examples ?? [];

/** `@octokit/webhooks-examples` push payloads of Codertocat/Hello-World, by what they show. */
const EXAMPLE = { tag: 0, tagDeleted: 1, branch: 4 } as const;

function example(which: keyof typeof EXAMPLE, change: Record<string, unknown> = {}) {
  const payload = pushes[EXAMPLE[which]];
  if (!payload) throw new Error(`no push example ${which}`);
  return { ...structuredClone(payload), ...change };
}

const SHA = '6113728f27ae82c7b1a177c8d03f9e96e0adf246';
const ZERO = '0000000000000000000000000000000000000000';
const DELIVERY = '72d3162e-cc78-11e3-81ab-4c9367dc0958';

const repositories = {
  fleet: { url: 'https://github.com/Codertocat/Hello-World.git', labels: { team: 'a' } },
  'fleet-ssh': { url: 'ssh://git@github.com/codertocat/hello-world', ref: { branch: 'master' } },
  'fleet-dev': { url: 'https://github.com/Codertocat/Hello-World', ref: { branch: 'dev' } },
  'fleet-tag': { url: 'https://github.com/Codertocat/Hello-World.git', ref: { tag: 'simple-tag' } },
  'fleet-semver': { url: 'https://github.com/Codertocat/Hello-World.git', ref: { semver: '>=1.0.0' } },
  'fleet-commit': { url: 'https://github.com/Codertocat/Hello-World.git', ref: { commit: SHA } },
  other: { url: 'https://github.com/octo-org/other.git', labels: { team: 'a' } },
};
const fixture = gitPushFixture('github', { repositories });

function delivery(payload: unknown, change: Record<string, string | undefined> = {}) {
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-github-event': 'push',
    'x-github-delivery': DELIVERY,
    'x-hub-signature-256': `sha256=${hmacHex('sha256', body)}`,
  };
  for (const [name, value] of Object.entries(change)) {
    if (value === undefined) delete headers[name];
    else headers[name] = value;
  }
  return { body, headers };
}
const push = (payload: unknown, f = fixture, change?: Record<string, string | undefined>) => {
  const { body, headers } = delivery(payload, change);
  return run(githubReceiver, f.request(body, headers));
};

describe('github push receiver', () => {
  it('syncs the GitRepositories of the pushed repository that follow the branch, in any URL form', async () => {
    const outcome = await push(example('branch'));
    expect(syncs(outcome)).toEqual([
      `flux-system/fleet master@sha1:${SHA}`,
      `flux-system/fleet-ssh master@sha1:${SHA}`,
    ]);
    expect(outcome.deliveryId).toBe(DELIVERY);
  });

  it('syncs a tag push for the tag and for semver ranges, never for a pinned commit', async () => {
    expect(syncs(await push(example('tag')))).toEqual([
      `flux-system/fleet-semver simple-tag@sha1:${SHA}`,
      `flux-system/fleet-tag simple-tag@sha1:${SHA}`,
    ]);
  });

  it('changes nothing for a branch no GitRepository follows, and says so', async () => {
    const outcome = await push(example('branch', { ref: 'refs/heads/feature' }));
    expect(outcome).toEqual({
      jobs: [],
      message: 'nothing to sync: no GitRepository follows refs/heads/feature',
      deliveryId: DELIVERY,
    });
  });

  it.each([
    ['a tag deletion (example)', () => example('tagDeleted')],
    // GitHub's documented form of a branch deletion: deleted, after all zeros, no head commit.
    ['a branch deletion', () => example('branch', { deleted: true, after: ZERO, head_commit: null })],
  ])('ignores %s', async (_label, payload) => {
    const outcome = await push(payload());
    expect(outcome.jobs).toEqual([]);
    expect(outcome.message).toMatch(/^nothing to sync: refs\/.* deleted$/);
  });

  it('selects by matchLabels under `*`, still by URL', async () => {
    const labelled = gitPushFixture('github', {
      repositories,
      resources: [{ kind: 'GitRepository', name: '*', matchLabels: { team: 'a' } }],
    });
    expect(syncs(await push(example('branch'), labelled))).toEqual([`flux-system/fleet master@sha1:${SHA}`]);
  });

  it('honours the Receiver events list', async () => {
    const onlyPush = gitPushFixture('github', { repositories, events: ['push'] });
    expect((await push(example('branch'), onlyPush)).jobs).toHaveLength(2);
    const onlyPing = gitPushFixture('github', { repositories, events: ['ping'] });
    await expect(push(example('branch'), onlyPing)).rejects.toThrow(ReceiverPayloadError);
  });

  it('accepts the sha1 signature alone, as Flux does', async () => {
    const body = JSON.stringify(example('branch'));
    const { headers } = delivery(body, {
      'x-hub-signature-256': undefined,
      'x-hub-signature': `sha1=${hmacHex('sha1', body)}`,
    });
    expect((await run(githubReceiver, fixture.request(body, headers))).jobs).toHaveLength(2);
  });

  it('refuses unsigned, wrongly signed and tampered pushes before reading the body', async () => {
    const { body, headers } = delivery(example('branch'));
    const notJson = 'not json at all';
    const cases = [
      fixture.request(notJson, { ...headers, 'x-hub-signature-256': '' }),
      fixture.request(notJson, headers),
      fixture.request(body, { ...headers, 'x-hub-signature-256': `sha256=${hmacHex('sha256', body, 'x')}` }),
      fixture.request(tamper(body), headers),
    ];
    for (const request of cases)
      await expect(run(githubReceiver, request)).rejects.toThrow(ReceiverAuthError);
  });

  it.each([
    ['a signed body that is not JSON', '{"ref"'],
    ['a push without a ref', { after: SHA, repository: {} }],
    ['a push without its repository', { ref: 'refs/heads/master', after: SHA }],
  ])('refuses %s from an authentic sender as malformed', async (_label, payload) => {
    await expect(push(payload)).rejects.toThrow(ReceiverPayloadError);
  });
});

describe('a signed GitHub push over HTTP', () => {
  let dir: string;
  let queues: EmbeddedJobQueueFactory;
  let state: EmbeddedStateStore;
  let enqueuer: JobEnqueuer;
  let app: ReturnType<typeof createApp>;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ferry-github-push-'));
    state = new EmbeddedStateStore({ dir });
    queues = new EmbeddedJobQueueFactory({ dir });
    enqueuer = new JobEnqueuer(queues);
    const { config } = fixture;
    const receivers = ReceiverIndex.fromConfig(config);
    app = createApp({
      current: () => ({ config, receivers }),
      state,
      enqueuer,
      metrics: createMetrics({ defaultMetrics: false }),
      log: captureLogs().log,
      receiverHandlers: RECEIVER_HANDLERS,
    });
  });

  afterAll(async () => {
    await queues?.close();
    await state?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('lands one sync-source job per followed GitRepository, once however often it is delivered', async () => {
    const { body, headers } = delivery(example('branch', { ref: 'refs/heads/dev' }));
    const path = `/hook/${receiverDigest(TOKEN, 'hook', 'flux-system')}`;
    for (let attempt = 0; attempt < 2; attempt++) {
      const response = await app.request(path, { method: 'POST', body, headers });
      expect(response.status).toBe(202);
      expect(await response.json()).toEqual({
        message: 'sync requested for 1 GitRepository(ies): flux-system/fleet-dev',
        jobs: 1,
      });
    }
    const unsigned = await app.request(path, { method: 'POST', body, headers: { 'x-github-event': 'push' } });
    expect(unsigned.status).toBe(401);
    const received = await enqueuer.queue('sync-source').receive({ max: 10 });
    expect(received.map((m) => m.body)).toEqual([
      {
        kind: 'sync-source',
        gitRepository: { namespace: 'flux-system', name: 'fleet-dev' },
        revision: `dev@sha1:${SHA}`,
      },
    ]);
  });
});
