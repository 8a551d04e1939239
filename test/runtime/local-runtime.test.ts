import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../lib/cli/main.ts';
import { ConfigError } from '../../lib/config/index.ts';
import { TerminalError, TransientError } from '../../lib/errors.ts';
import type { JobHandlers } from '../../lib/jobs/run-job.ts';
import { conditionOf } from '../../lib/jobs/status.ts';
import { receiverDigest } from '../../lib/receivers/index.ts';
import type { LocalRuntime } from '../../lib/runtime/local-runtime.ts';
import { startLocalRuntime } from '../../lib/runtime/local-runtime.ts';
import { captureLogs } from '../support/log-capture.ts';
import { waitFor } from '../support/ports.ts';

const source = `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: { name: fleet }
spec: { interval: 1h, url: https://git.example.com/fleet.git, ref: { branch: main } }
---
apiVersion: v1
kind: Secret
metadata: { name: hook-token }
stringData: { token: t0ken }
---
apiVersion: notification.toolkit.fluxcd.io/v1
kind: Receiver
metadata: { name: push }
spec:
  type: generic
  secretRef: { name: hook-token }
  resources: [{ kind: Kustomization, name: apps }]
`;

const kustomization = (name: string, path = `./${name}`) => `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: { name: ${name} }
spec: { interval: 1h, path: ${path}, prune: true, sourceRef: { kind: GitRepository, name: fleet } }
`;

describe('local runtime', () => {
  let dir: string;
  let configDir: string;
  let stateDir: string;
  let runtime: LocalRuntime | undefined;
  let calls: string[];
  let logs: ReturnType<typeof captureLogs>;

  const start = async (handlers: JobHandlers) => {
    runtime = await startLocalRuntime({
      configDir,
      stateDir,
      port: 0,
      log: logs.log,
      handlers,
      schedulerTickMs: 50,
      consumer: { waitSeconds: 1, maxReceives: 3, backoff: () => 0, visibilitySeconds: 30 },
    });
    return runtime;
  };
  const recording: JobHandlers = {
    apply: async (job) => {
      calls.push(`apply ${job.kustomization.name}`);
      return { message: `applied ${job.kustomization.name}` };
    },
    'sync-source': async (job) => {
      calls.push(`sync ${job.gitRepository.name}`);
      return { message: 'fetched' };
    },
  };
  const count = (call: string) => calls.filter((c) => c === call).length;
  const cli = async (...args: string[]) => {
    const out: string[] = [];
    const code = await runCli([...args, '--state', stateDir], {
      stdout: (t) => out.push(t),
      stderr: (t) => out.push(t),
    });
    return { code, out: out.join('\n') };
  };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ferry-runtime-'));
    configDir = join(dir, 'config');
    stateDir = join(dir, 'state');
    await rm(configDir, { recursive: true, force: true });
    await import('node:fs/promises').then((fs) => fs.mkdir(configDir));
    await writeFile(join(configDir, 'source.yaml'), source);
    await writeFile(join(configDir, 'apps.yaml'), `${kustomization('apps')}---\n${kustomization('infra')}`);
    calls = [];
    logs = captureLogs();
  });

  afterEach(async () => {
    await runtime?.stop(2_000);
    runtime = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses a bad config and starts nothing', async () => {
    await writeFile(join(configDir, 'broken.yaml'), kustomization('broken').replace('path:', 'pathh:'));
    const started = start(recording);
    await expect(started).rejects.toBeInstanceOf(ConfigError);
    await expect(started).rejects.toThrow(/broken\.yaml#0 Kustomization\/flux-system\/broken spec\.pathh/);
    expect(existsSync(stateDir)).toBe(false);
  });

  it('reconciles every object once at start and records what happened', async () => {
    const rt = await start(recording);
    await waitFor('first reconciles', async () => calls.length >= 3, 10_000);
    expect([...calls].sort()).toEqual(['apply apps', 'apply infra', 'sync fleet']);

    await waitFor(
      'status',
      async () =>
        (await rt.status.read({ kind: 'Kustomization', namespace: 'flux-system', name: 'infra' })) !==
        undefined,
    );
    const { code, out } = await cli('get', 'ks');
    expect(code).toBe(0);
    expect(out).toMatch(/flux-system\s+apps\s+False\s+True\s+applied apps/);
    expect(out).toMatch(/flux-system\s+infra\s+False\s+True\s+applied infra/);

    const json = JSON.parse((await cli('get', 'gitrepo', 'fleet', '-o', 'json')).out) as Array<{
      object: { spec: { url: string } };
      status: { conditions: Array<{ type: string; status: string }> };
    }>;
    expect(json[0]?.object.spec.url).toBe('https://git.example.com/fleet.git');
    expect(json[0]?.status.conditions).toContainEqual(
      expect.objectContaining({ type: 'Ready', status: 'True' }),
    );
  });

  it('shows each Receiver its webhook path, as Flux does', async () => {
    await start(recording);
    const { out } = await cli('get', 'receivers');
    expect(out).toContain(
      `Receiver initialized for path: /hook/${receiverDigest('t0ken', 'push', 'flux-system')}`,
    );
    expect((await cli('get', 'secrets', '-o', 'json')).out).not.toContain('t0ken');
  });

  it('serves webhooks that turn into jobs', async () => {
    const rt = await start(recording);
    await waitFor('first reconciles', async () => calls.length >= 3, 10_000);
    const response = await fetch(`${rt.url}/hook/${receiverDigest('t0ken', 'push', 'flux-system')}`, {
      method: 'POST',
    });
    expect(response.status).toBe(202);
    await waitFor('webhook reconcile', async () => count('apply apps') === 2, 10_000);
    expect(count('apply infra')).toBe(1);
  });

  it('stalls an object on a terminal failure: one try, an error event', async () => {
    const rt = await start({
      ...recording,
      apply: async (job) => {
        calls.push(`apply ${job.kustomization.name}`);
        if (job.kustomization.name === 'infra') {
          throw new TerminalError('kustomization.yaml: unknown field "resourcez"', {
            data: { reason: 'BuildFailed' },
          });
        }
        return { message: 'applied' };
      },
    });
    const infra = { kind: 'Kustomization', namespace: 'flux-system', name: 'infra' };
    await waitFor(
      'stalled',
      async () => conditionOf(await rt.status.read(infra), 'Stalled') !== undefined,
      10_000,
    );
    const status = await rt.status.read(infra);
    expect(conditionOf(status, 'Stalled')).toMatchObject({ status: 'True', reason: 'BuildFailed' });
    expect(conditionOf(status, 'Ready')).toMatchObject({ status: 'False', reason: 'BuildFailed' });
    const events = await rt.events.recent({ about: infra });
    expect(events).toEqual([
      expect.objectContaining({
        severity: 'error',
        reason: 'BuildFailed',
        message: 'kustomization.yaml: unknown field "resourcez"',
      }),
    ]);
    expect(count('apply infra')).toBe(1);
  });

  it('retries a transient failure and dead-letters it after the last try, with an error event', async () => {
    const rt = await start({
      ...recording,
      apply: async (job) => {
        calls.push(`apply ${job.kustomization.name}`);
        if (job.kustomization.name === 'apps') throw new TransientError('connection refused');
        return { message: 'applied' };
      },
    });
    const apps = { kind: 'Kustomization', namespace: 'flux-system', name: 'apps' };
    await waitFor(
      'dead letter',
      async () => (await rt.enqueuer.queue('apply').stats()).deadLetters === 1,
      15_000,
    );
    expect(count('apply apps')).toBe(3);
    const [dead] = await rt.enqueuer.queue('apply').deadLetters();
    expect(dead?.body).toEqual({ kind: 'apply', kustomization: { namespace: 'flux-system', name: 'apps' } });
    expect(dead?.reason).toContain('connection refused');
    expect(conditionOf(await rt.status.read(apps), 'Ready')).toMatchObject({
      status: 'False',
      message: 'connection refused (gave up after 3 attempts)',
    });
    const events = await rt.events.recent({ about: apps });
    expect(events.map((e) => e.severity)).toEqual(['error']);
    const metrics = await (await fetch(`${rt.url}/metrics`)).text();
    expect(metrics).toContain('ferry_jobs_total{kind="apply",outcome="retry"} 2');
    expect(metrics).toContain('ferry_jobs_total{kind="apply",outcome="dead-letter"} 1');
    expect(metrics).toContain('ferry_queue_depth{queue="apply",state="dead_letter"} 1');
    expect(metrics).toMatch(/ferry_job_duration_seconds_count\{kind="apply",outcome="retry"\} 2\n/);
  });

  it('runs a reconcile requested by `ferry reconcile`', async () => {
    await start(recording);
    await waitFor('first reconciles', async () => calls.length >= 3, 10_000);
    const { code, out } = await cli('reconcile', 'ks', 'apps');
    expect(code).toBe(0);
    expect(out).toBe('► apply job enqueued for ks flux-system/apps');
    await waitFor('requested reconcile', async () => count('apply apps') === 2, 10_000);
    expect((await cli('reconcile', 'ks', 'nope')).out).toMatch(
      /Kustomization flux-system\/nope is not in the config/,
    );
  });

  it('reloads a changed config and reconciles only what changed; a broken edit keeps the running config', async () => {
    const rt = await start(recording);
    await waitFor('first reconciles', async () => calls.length >= 3, 10_000);
    await writeFile(
      join(configDir, 'apps.yaml'),
      `${kustomization('apps', './apps/v2')}---\n${kustomization('infra')}`,
    );
    await waitFor('changed object reconciled', async () => count('apply apps') === 2, 10_000);
    expect(rt.config().get('Kustomization', 'flux-system', 'apps')?.spec.path).toBe('./apps/v2');

    await writeFile(
      join(configDir, 'apps.yaml'),
      'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: { name: x }\n',
    );
    await waitFor('reload failure logged', async () => logs.text().includes('config reload failed'), 10_000);
    expect(rt.config().get('Kustomization', 'flux-system', 'apps')?.spec.path).toBe('./apps/v2');
    expect(count('apply infra')).toBe(1);
  });

  it('gives a running job back to the queue on stop, for the next process to finish', async () => {
    let started = false;
    await start({
      apply: async (job, ctx) => {
        if (job.kustomization.name !== 'apps') return { message: 'applied' };
        started = true;
        await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve));
        throw ctx.signal.reason;
      },
    });
    await waitFor('slow job running', async () => started, 10_000);
    await runtime?.stop(300);
    runtime = undefined;

    const attempts: number[] = [];
    await start({
      apply: async (job, ctx) => {
        if (job.kustomization.name === 'apps') attempts.push(ctx.attempt);
        return { message: 'applied' };
      },
    });
    // The released delivery comes back as the same message, delivered a second time.
    await waitFor('job finished by the next process', async () => attempts.includes(2), 10_000);
    expect(logs.text()).toContain('ferry stopped');
  });
});
