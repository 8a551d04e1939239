/**
 * The github provider (commit statuses) against a local HTTP server standing in for the GitHub
 * Enterprise Server API (a third-party service we cannot run here): any host other than github.com
 * is Enterprise, whose API lives under /api/v3.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { deliver } from '../../../lib/notify/deliver.ts';
import { DeliveryRateLimitedError, DeliveryRejectedError } from '../../../lib/notify/delivery-errors.ts';
import { githubRepository } from '../../../lib/notify/github-status.ts';
import { answers, ReceiverStandin } from '../../support/notify-standins.ts';
import { endpoint, NOW, notification, now, SHA } from './fixtures.ts';

/** What ferry uses in place of Flux's Provider UID: 8 hex of sha256("namespace/name"). */
const providerHash = createHash('sha256').update('flux-system/github').digest('hex').slice(0, 8);

describe('github commit status provider', () => {
  let github: ReceiverStandin;
  const token = 'ghp_0123456789abcdef';
  const ep = () => endpoint('github', `${github.origin}/my-org/my-repo.git`, { token });
  beforeAll(async () => {
    github = await ReceiverStandin.start();
    github.answerAlways(answers.json(201, { id: 1, state: 'success' }));
  });
  afterAll(() => github.close());
  beforeEach(() => {
    github.reset();
  });
  const posts = () => github.requests.filter((r) => r.method === 'POST');

  it('posts success for info to /api/v3/repos/{owner}/{repo}/statuses/{sha} with the token', async () => {
    github.script(answers.json(200, []));
    const receipt = await deliver(ep(), notification(), { now });
    expect(receipt).toMatchObject({ outcome: 'sent', type: 'github', status: 201 });
    const [check, req] = github.requests;
    expect(check?.method).toBe('GET');
    expect(check?.path).toBe(`/api/v3/repos/my-org/my-repo/commits/${SHA}/statuses?per_page=50`);
    expect(check?.headers.authorization).toBe(`Bearer ${token}`);
    expect(req?.method).toBe('POST');
    expect(req?.path).toBe(`/api/v3/repos/my-org/my-repo/statuses/${SHA}`);
    expect(req?.headers.authorization).toBe(`Bearer ${token}`);
    expect(req?.headers.accept).toBe('application/vnd.github+json');
    expect(req?.headers['x-github-api-version']).toBe('2022-11-28');
    expect(req?.headers['user-agent']).toBe('ferry');
    expect(req?.json()).toEqual({
      state: 'success',
      context: `kustomization/apps/${providerHash}`,
      description: 'reconciliation succeeded',
    });
  });

  it('posts failure for error, the description carrying the first line of the message within 140', async () => {
    const n = notification({
      severity: 'error',
      reason: 'HealthCheckFailed',
      message: `Deployment/apps/web not ready: ${'x'.repeat(300)}\nsecond line`,
    });
    await deliver(ep(), n, { now });
    const body = posts()[0]?.json() as { state: string; description: string };
    expect(body.state).toBe('failure');
    expect(body.description).toHaveLength(140);
    expect(body.description).toMatch(/^health check failed: Deployment\/apps\/web not ready: x+…$/);
  });

  it('takes the sha from commit_sha when there is no revision', async () => {
    await deliver(ep(), notification({ metadata: { commit_sha: SHA.toUpperCase() } }), { now });
    expect(posts()[0]?.path).toBe(`/api/v3/repos/my-org/my-repo/statuses/${SHA}`);
  });

  it('posts nothing when the latest status of its context already says the same', async () => {
    const context = `kustomization/apps/${providerHash}`;
    const same = { state: 'success', context, description: 'reconciliation succeeded' };
    // Newest first, as GitHub lists them; other contexts do not count.
    github.script(
      answers.json(200, [
        { ...same, context: 'ci/build', state: 'failure' },
        same,
        { ...same, state: 'failure' },
      ]),
    );
    expect(await deliver(ep(), notification(), { now })).toMatchObject({
      outcome: 'skipped',
      reason: 'the commit already has this status',
    });
    expect(posts()).toHaveLength(0);

    github.script(
      answers.json(200, [{ ...same, state: 'failure', description: 'health check failed: x' }, same]),
    );
    expect(await deliver(ep(), notification(), { now })).toMatchObject({ outcome: 'sent' });
    expect(posts()).toHaveLength(1);
  });

  it('skips Progressing events and events without a commit, sending nothing', async () => {
    expect(await deliver(ep(), notification({ reason: 'Progressing' }), { now })).toEqual({
      outcome: 'skipped',
      provider: 'Provider/flux-system/github',
      type: 'github',
      reason: 'Progressing events set no commit status',
    });
    expect(await deliver(ep(), notification({ metadata: { revision: 'latest' } }), { now })).toMatchObject({
      outcome: 'skipped',
      reason: 'the event names no commit (no revision or commit_sha metadata)',
    });
    expect(github.requests).toHaveLength(0);
  });

  it('waits until x-ratelimit-reset when the rate limit is spent (403)', async () => {
    const reset = NOW.getTime() / 1000 + 60;
    github.script(answers.json(200, []), {
      status: 403,
      headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) },
      body: '{"message":"API rate limit exceeded"}',
    });
    const error = await deliver(ep(), notification(), { now }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryRateLimitedError);
    expect(error).toMatchObject({ retryAfterSeconds: 60 });
  });

  it("reports GitHub's 422 as refused with its answer", async () => {
    github.script(answers.json(200, []), answers.json(422, { message: 'No commit found for SHA: 731f7ea' }));
    const error = await deliver(ep(), notification(), { now }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryRejectedError);
    expect((error as DeliveryRejectedError).answer).toBe('{"message":"No commit found for SHA: 731f7ea"}');
  });
});

describe('github repository address', () => {
  it.each([
    ['https github.com', 'https://github.com/org/repo', 'https://api.github.com'],
    ['.git suffix and slash', 'https://github.com/org/repo.git/', 'https://api.github.com'],
    ['ssh URL', 'ssh://git@github.com/org/repo.git', 'https://api.github.com'],
    ['scp-like', 'git@github.com:org/repo.git', 'https://api.github.com'],
    ['Enterprise', 'https://git.example.com/org/repo', 'https://git.example.com/api/v3'],
    ['Enterprise with port', 'https://git.example.com:8443/org/repo', 'https://git.example.com:8443/api/v3'],
    ['Enterprise over ssh', 'git@git.example.com:org/repo.git', 'https://git.example.com/api/v3'],
  ])('%s', (_label, address, api) => {
    expect(githubRepository(endpoint('github', address, { token: 't' }))).toEqual({
      api,
      owner: 'org',
      repo: 'repo',
    });
  });

  it('refuses an address that is not owner/repo, naming the Provider', () => {
    expect(() => githubRepository(endpoint('github', 'https://github.com/org', { token: 't' }))).toThrow(
      'Provider/flux-system/github: address must be a repository address like https://github.com/<owner>/<repo>',
    );
  });
});
