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
    gitlab.reset();
  });
  const posts = () => gitlab.requests.filter((r) => r.method === 'POST');

  it('posts to /api/v4/projects/{url-encoded path}/statuses/{sha} with PRIVATE-TOKEN', async () => {
    const ep = endpoint('gitlab', `${gitlab.origin}/group/sub/project.git`, { token: 'glpat-abc' });
    gitlab.script(answers.json(200, []));
    const receipt = await deliver(ep, notification({ metadata: { revision: `sha1:${SHA}` } }), { now });
    expect(receipt).toMatchObject({ outcome: 'sent', type: 'gitlab', status: 201 });
    const [check, req] = gitlab.requests;
    expect(check?.method).toBe('GET');
    expect(check?.path).toBe(
      `/api/v4/projects/group%2Fsub%2Fproject/repository/commits/${SHA}/statuses?name=kustomization%2Fapps%2F${providerHash}`,
    );
    expect(check?.headers['private-token']).toBe('glpat-abc');
    expect(req?.method).toBe('POST');
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
    expect(posts()[0]?.path).toBe(`/api/v4/projects/1234/statuses/${SHA}`);
    expect(posts()[0]?.json()).toMatchObject({
      state: 'failed',
      description: 'reconciliation failed: kustomize build failed',
    });
  });

  it('posts nothing when the newest status of that name already says the same', async () => {
    const ep = endpoint('gitlab', `${gitlab.origin}/group/project`, { token: 'glpat-abc' });
    const name = `kustomization/apps/${providerHash}`;
    const same = { name, status: 'success', description: 'reconciliation succeeded' };
    gitlab.script(
      answers.json(200, [
        { ...same, id: 3 },
        { ...same, id: 9, status: 'failed' },
      ]),
    );
    expect(await deliver(ep, notification(), { now })).toMatchObject({ outcome: 'sent' });
    gitlab.script(
      answers.json(200, [
        { ...same, id: 3, status: 'failed' },
        { ...same, id: 9 },
      ]),
    );
    expect(await deliver(ep, notification(), { now })).toMatchObject({
      outcome: 'skipped',
      reason: 'the commit already has this status',
    });
    expect(posts()).toHaveLength(1);
  });

  it('refuses terminally when the project cannot be read', async () => {
    const ep = endpoint('gitlab', `${gitlab.origin}/group/gone`, { token: 'glpat-abc' });
    gitlab.script(answers.json(404, { message: '404 Project Not Found' }));
    await expect(deliver(ep, notification(), { now })).rejects.toMatchObject({
      name: 'DeliveryRejectedError',
      answer: '{"message":"404 Project Not Found"}',
    });
    expect(posts()).toHaveLength(0);
  });

  it('skips Progressing events', async () => {
    const ep = endpoint('gitlab', `${gitlab.origin}/group/project`, { token: 'glpat-abc' });
    expect(await deliver(ep, notification({ reason: 'Progressing' }), { now })).toMatchObject({
      outcome: 'skipped',
    });
    expect(gitlab.requests).toHaveLength(0);
  });
});
