/**
 * The gitlab provider (commit statuses) against a local HTTP server standing in for a self-managed
 * GitLab's API (a third-party service we cannot run here).
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { deliver } from '../../../lib/notify/deliver.ts';
import { answers, ReceiverStandin } from '../../support/notify-standins.ts';
import { endpoint, notification, now, SHA } from './fixtures.ts';

const providerHash = createHash('sha256').update('flux-system/gitlab').digest('hex').slice(0, 8);

describe('gitlab commit status provider', () => {
  let gitlab: ReceiverStandin;
  beforeAll(async () => {
    gitlab = await ReceiverStandin.start();
    gitlab.answerAlways(answers.json(201, { id: 7, status: 'success' }));
  });
  afterAll(() => gitlab.close());
  beforeEach(() => {
    gitlab.requests.length = 0;
  });

  it('posts to /api/v4/projects/{url-encoded path}/statuses/{sha} with PRIVATE-TOKEN', async () => {
    const ep = endpoint('gitlab', `${gitlab.origin}/group/sub/project.git`, { token: 'glpat-abc' });
    const receipt = await deliver(ep, notification({ metadata: { revision: `sha1:${SHA}` } }), { now });
    expect(receipt).toMatchObject({ outcome: 'sent', type: 'gitlab', status: 201 });
    const req = gitlab.requests[0];
    expect(req?.path).toBe(`/api/v4/projects/group%2Fsub%2Fproject/statuses/${SHA}`);
    expect(req?.headers['private-token']).toBe('glpat-abc');
    expect(req?.headers.authorization).toBeUndefined();
    expect(req?.json()).toEqual({
      state: 'success',
      name: `kustomization/apps/${providerHash}`,
      description: 'reconciliation succeeded',
    });
  });

  it('posts failed for error events, and takes a numeric project ID as the path', async () => {
    const ep = endpoint('gitlab', `${gitlab.origin}/1234`, { token: 'glpat-abc' });
    const n = notification({
      severity: 'error',
      reason: 'ReconciliationFailed',
      message: 'kustomize build failed',
      metadata: { revision: `main/${SHA}` },
    });
    await deliver(ep, n, { now });
    expect(gitlab.requests[0]?.path).toBe(`/api/v4/projects/1234/statuses/${SHA}`);
    expect(gitlab.requests[0]?.json()).toMatchObject({
      state: 'failed',
      description: 'reconciliation failed: kustomize build failed',
    });
  });

  it('skips Progressing events', async () => {
    const ep = endpoint('gitlab', `${gitlab.origin}/group/project`, { token: 'glpat-abc' });
    expect(await deliver(ep, notification({ reason: 'Progressing' }), { now })).toMatchObject({
      outcome: 'skipped',
    });
    expect(gitlab.requests).toHaveLength(0);
  });
});
