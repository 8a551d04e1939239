/**
 * The deployed HTTP app while its config repository cannot be read: against DynamoDB Local, the local
 * SQS server and the git server, with a pinned clock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsHttpApp, FAILED_LOAD_RETRY_MS } from '../../lib/aws/aws-http-app.ts';
import type { Harness } from '../functions/aws-harness.ts';
import { startHarness } from '../functions/aws-harness.ts';
import { captureLogs } from '../support/log-capture.ts';

describe('the deployed HTTP app without a config', () => {
  let harness: Harness;
  const logs = captureLogs();

  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('asks git again only after a pause, and never for /healthz, while the first load keeps failing', async () => {
    const env = await harness.environment();
    env.FERRY_CONFIG_URL = harness.configRepo.url.replace(/config\.git$/, 'missing.git');
    const runtime = harness.runtime(env, { log: logs.log });
    let clock = 1_000_000;
    const app = awsHttpApp(runtime, () => clock);
    const gitRequests = () => harness.git.requests.length;

    const before = gitRequests();
    expect((await app.request('/readyz')).status).toBe(503);
    const afterFirst = gitRequests();
    expect(afterFirst).toBeGreaterThan(before);

    expect((await app.request('/readyz')).status).toBe(503);
    expect((await app.request('/hook/0123', { method: 'POST', body: '{}' })).status).not.toBe(202);
    expect((await app.request('/healthz')).status).toBe(200);
    expect(gitRequests()).toBe(afterFirst);

    clock += FAILED_LOAD_RETRY_MS;
    await app.request('/readyz');
    expect(gitRequests()).toBeGreaterThan(afterFirst);
    expect(logs.lines().filter((l) => l.msg === 'config load failed')).toHaveLength(2);
  });
});
