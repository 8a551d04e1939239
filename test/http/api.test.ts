/**
 * The /api/v1 routes of the app over the embedded state store and queue: the token gate, the
 * recorded objects and events as `ferry get -o json` and `ferry events --json` print them, and
 * reconcile requests read back from the queue. Then once through `ferry serve`.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ObjectWithStatus } from '../../lib/cli/get.ts';
import type { ConfigSet } from '../../lib/config/index.ts';
import { loadConfigFiles } from '../../lib/config/index.ts';
import type { ApiTokenSource } from '../../lib/http/api-auth.ts';
import { createApp } from '../../lib/http/app.ts';
import { JobEnqueuer } from '../../lib/jobs/enqueuer.ts';
import type { FluxEvent } from '../../lib/jobs/event.ts';
import { EventBus } from '../../lib/jobs/event-bus.ts';
import type { Job, JobKind } from '../../lib/jobs/job.ts';
import { StatusRecorder } from '../../lib/jobs/status.ts';
import { jobGroupResolver } from '../../lib/jobs/update-group.ts';
import { createMetrics } from '../../lib/observe/metrics.ts';
import type { JobQueueFactory } from '../../lib/queue/index.ts';
import { EmbeddedJobQueueFactory } from '../../lib/queue/index.ts';
import { RECEIVER_HANDLERS, ReceiverIndex } from '../../lib/receivers/index.ts';
import { startLocalRuntime } from '../../lib/runtime/local-runtime.ts';
import { recordObjects } from '../../lib/runtime/object-records.ts';
import type { StateStore } from '../../lib/state/index.ts';
import { EmbeddedStateStore } from '../../lib/state/index.ts';
import { captureLogs } from '../support/log-capture.ts';

const API_TOKEN = 'api-token-4f1c9e7d2b';
const SECRET_VALUE = 'hook-secret-value-91';

const CONFIG = `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: { name: fleet }
spec: { interval: 5m, url: https://git.example.com/fleet.git, ref: { branch: main } }
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: { name: apps }
spec: { interval: 10m, path: ./apps, prune: true, sourceRef: { kind: GitRepository, name: fleet } }
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: { name: web, namespace: team }
spec: { interval: 10m, path: ./web, prune: true, sourceRef: { kind: GitRepository, name: fleet, namespace: flux-system } }
---
apiVersion: image.toolkit.fluxcd.io/v1
kind: ImageRepository
metadata: { name: web }
spec: { image: ghcr.io/acme/web, interval: 1h }
---
apiVersion: image.toolkit.fluxcd.io/v1
kind: ImagePolicy
metadata: { name: web }
spec: { imageRepositoryRef: { name: web }, policy: { semver: { range: '>=1.0.0' } } }
---
apiVersion: v1
kind: Secret
metadata: { name: hook-token }
stringData: { token: ${SECRET_VALUE} }
---
apiVersion: notification.toolkit.fluxcd.io/v1beta3
kind: Provider
metadata: { name: chat }
spec: { type: generic }
`;

const NOW = new Date('2026-03-01T12:00:00.000Z');
const bearer = (token = API_TOKEN) => ({ Authorization: `Bearer ${token}` });
/** A response's JSON, typed as the route answers it. */
const json = async <T>(response: Response): Promise<T> => (await response.json()) as T;
const names = (rows: ObjectWithStatus[]) =>
  rows.map((r) => `${r.object.kind}/${r.object.metadata.namespace}/${r.object.metadata.name}`);

describe('the /api/v1 routes', () => {
  let dir: string;
  let state: StateStore;
  let queues: JobQueueFactory;
  let config: ConfigSet;
  let logs: ReturnType<typeof captureLogs>;

  const configured: ApiTokenSource = async () => API_TOKEN;
  /** null: the app is given no token source at all. */
  const build = (apiToken: ApiTokenSource | null = configured) => {
    // As both runtimes compose it: jobs grouped by the config in force.
    const enqueuer = new JobEnqueuer(
      queues,
      jobGroupResolver(() => config),
    );
    const app = createApp({
      current: () => ({ config, receivers: ReceiverIndex.fromConfig(config) }),
      state,
      enqueuer,
      metrics: createMetrics({ defaultMetrics: false }),
      log: logs.log,
      receiverHandlers: RECEIVER_HANDLERS,
      ...(apiToken ? { apiToken } : {}),
    });
    return { app, enqueuer };
  };
  const queued = async (enqueuer: JobEnqueuer, kind: JobKind) => {
    const messages = await enqueuer.queue(kind).receive({ max: 10, waitSeconds: 0 });
    return messages.map((m) => m.body);
  };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ferry-api-'));
    state = new EmbeddedStateStore({ dir });
    queues = new EmbeddedJobQueueFactory({ dir });
    config = loadConfigFiles([{ path: 'config.yaml', content: CONFIG }]);
    logs = captureLogs();
    await recordObjects(state, config);
    const status = new StatusRecorder(state, () => NOW);
    await status.markReady(
      { kind: 'Kustomization', namespace: 'flux-system', name: 'apps' },
      'ReconciliationSucceeded',
      'Applied revision: main@sha1:abc',
      { lastAppliedRevision: 'main@sha1:abc' },
    );
    let second = 0;
    const events = new EventBus(state, { now: () => new Date(NOW.getTime() + 1000 * second++) });
    const about = (kind: string, namespace: string, name: string) => ({ kind, namespace, name });
    await events.record(
      events.event(
        about('Kustomization', 'flux-system', 'apps'),
        'info',
        'ReconciliationSucceeded',
        'applied',
      ),
    );
    await events.record(
      events.event(about('Kustomization', 'team', 'web'), 'error', 'ReconciliationFailed', 'boom'),
    );
    await events.record(
      events.event(about('GitRepository', 'flux-system', 'fleet'), 'info', 'NewArtifact', 'fetched'),
    );
  });

  afterEach(async () => {
    await queues.close();
    await state.close();
    await rm(dir, { recursive: true, force: true });
  });

  describe('token gate', () => {
    it.each([
      { label: 'no token source given', source: null, headers: bearer(), status: 403 },
      {
        label: 'a token source with no token',
        source: async () => undefined,
        headers: bearer(),
        status: 403,
      },
      { label: 'a blank token configured', source: async () => '  ', headers: bearer(''), status: 403 },
      { label: 'no Authorization header', source: configured, headers: {}, status: 401 },
      { label: 'a wrong token', source: configured, headers: bearer('api-token-4f1c9e7d2c'), status: 401 },
      {
        label: 'a prefix of the token',
        source: configured,
        headers: bearer(API_TOKEN.slice(0, -1)),
        status: 401,
      },
      {
        label: 'the token without a scheme',
        source: configured,
        headers: { Authorization: API_TOKEN },
        status: 401,
      },
      {
        label: 'the token as Basic credentials',
        source: configured,
        headers: { Authorization: `Basic ${API_TOKEN}` },
        status: 401,
      },
      { label: 'the right token', source: configured, headers: bearer(), status: 200 },
      {
        label: 'the right token, scheme in lower case',
        source: configured,
        headers: { Authorization: `bearer ${API_TOKEN}` },
        status: 200,
      },
    ] as { label: string; source: ApiTokenSource | null; headers: Record<string, string>; status: number }[])(
      'answers $status to $label',
      async ({ source, headers, status }) => {
        const { app } = build(source);
        const response = await app.request('/api/v1/objects', { headers });
        expect(response.status).toBe(status);
        const body = await json<{ error: string }>(response);
        if (status === 403) {
          expect(body.error).toContain('--api-token-file');
          expect(body.error).toContain('FERRY_API_TOKEN');
          expect(body.error).toContain('<FERRY_PARAMETER_PREFIX>/api-token');
        }
        if (status === 401) {
          expect(response.headers.get('www-authenticate')).toMatch(/^Bearer\b/);
          expect(body.error).toMatch(/bearer/i);
        }
        if (status === 200) expect(Array.isArray(body)).toBe(true);
        expect(logs.text()).toContain('"path":"/api/v1/objects"');
        expect(logs.text()).not.toContain(API_TOKEN.slice(0, 12));
      },
    );

    it('guards every path under /api, known or not, before anything else', async () => {
      const { app } = build();
      expect((await app.request('/api/v1/nothing-here')).status).toBe(401);
      expect((await app.request('/api/v1/nothing-here', { headers: bearer() })).status).toBe(404);
      expect((await app.request('/api/v1/reconcile/ks/flux-system/apps', { method: 'POST' })).status).toBe(
        401,
      );
      expect(await queued(build().enqueuer, 'apply')).toEqual([]);
    });

    it('answers 503 when the token cannot be read, and closes again', async () => {
      const { app } = build(async () => {
        throw new Error('parameter store throttled');
      });
      const response = await app.request('/api/v1/objects', { headers: bearer() });
      expect(response.status).toBe(503);
      expect((await json<{ error: string }>(response)).error).toBe(
        'the API token could not be read; try again shortly',
      );
    });
  });

  describe('GET /api/v1/objects', () => {
    it.each([
      {
        label: 'everything but Secrets and ConfigMaps by default',
        query: '',
        expected: [
          'GitRepository/flux-system/fleet',
          'ImagePolicy/flux-system/web',
          'ImageRepository/flux-system/web',
          'Kustomization/flux-system/apps',
          'Kustomization/team/web',
          'Provider/flux-system/chat',
        ],
      },
      {
        label: 'one kind by its short name',
        query: '?kind=ks',
        expected: ['Kustomization/flux-system/apps', 'Kustomization/team/web'],
      },
      { label: 'one namespace', query: '?namespace=team', expected: ['Kustomization/team/web'] },
      {
        label: 'a name, in the default namespace',
        query: '?kind=ks&name=apps',
        expected: ['Kustomization/flux-system/apps'],
      },
      {
        label: 'a name in another namespace',
        query: '?kind=ks&name=web&namespace=team',
        expected: ['Kustomization/team/web'],
      },
      {
        label: 'Secrets when asked for by kind',
        query: '?kind=secret',
        expected: ['Secret/flux-system/hook-token'],
      },
      { label: 'nothing for an unknown name', query: '?kind=ks&name=gone', expected: [] },
    ])('lists $label', async ({ query, expected }) => {
      const { app } = build();
      const response = await app.request(`/api/v1/objects${query}`, { headers: bearer() });
      expect(response.status).toBe(200);
      expect(names(await json<ObjectWithStatus[]>(response)).sort()).toEqual(expected);
    });

    it('carries the recorded status, and Secret keys without their values', async () => {
      const { app } = build();
      const apps = await json<ObjectWithStatus[]>(
        await app.request('/api/v1/objects?kind=ks&name=apps', { headers: bearer() }),
      );
      expect(apps[0]?.status).toMatchObject({
        lastAppliedRevision: 'main@sha1:abc',
        conditions: [{ type: 'Ready', status: 'True', reason: 'ReconciliationSucceeded' }],
      });
      const secrets = await json<ObjectWithStatus[]>(
        await app.request('/api/v1/objects?kind=secrets', { headers: bearer() }),
      );
      expect(secrets[0]?.object.keys).toEqual(['token']);
      expect(JSON.stringify(secrets)).not.toContain(SECRET_VALUE);
    });

    it('refuses an unknown kind, naming the kinds', async () => {
      const { app } = build();
      const response = await app.request('/api/v1/objects?kind=widgets', { headers: bearer() });
      expect(response.status).toBe(400);
      expect((await json<{ error: string }>(response)).error).toMatch(
        /^unknown kind "widgets"; one of: GitRepository, Kustomization/,
      );
    });
  });

  describe('GET /api/v1/events', () => {
    it.each([
      { label: 'all of them, oldest first', query: '', expected: ['apps', 'web', 'fleet'] },
      { label: 'about one kind', query: '?for=ks', expected: ['apps', 'web'] },
      { label: 'about one object, in the default namespace', query: '?for=ks/apps', expected: ['apps'] },
      {
        label: 'about one object in another namespace',
        query: '?for=ks/web&namespace=team',
        expected: ['web'],
      },
      { label: 'in one namespace', query: '?namespace=flux-system', expected: ['apps', 'fleet'] },
      { label: 'the most recent up to a limit', query: '?limit=2', expected: ['web', 'fleet'] },
    ])('lists $label', async ({ query, expected }) => {
      const { app } = build();
      const response = await app.request(`/api/v1/events${query}`, { headers: bearer() });
      expect(response.status).toBe(200);
      const events = await json<FluxEvent[]>(response);
      expect(events.map((e) => e.involvedObject.name)).toEqual(expected);
      if (query === '?for=ks/apps')
        expect(events[0]).toEqual({
          involvedObject: { kind: 'Kustomization', namespace: 'flux-system', name: 'apps' },
          severity: 'info',
          reason: 'ReconciliationSucceeded',
          message: 'applied',
          metadata: {},
          timestamp: NOW.toISOString(),
          reportingController: 'ferry',
        });
    });

    it.each([
      { query: '?limit=0', message: 'limit must be a whole number from 1 to 1000; got "0"' },
      { query: '?limit=ten', message: 'limit must be a whole number from 1 to 1000; got "ten"' },
      {
        query: '?for=ks/apps/extra',
        message: 'for must be KIND or KIND/NAME, e.g. ks/apps; got "ks/apps/extra"',
      },
      { query: '?for=widgets', message: /^unknown kind "widgets"/ },
    ])('refuses $query', async ({ query, message }) => {
      const { app } = build();
      const response = await app.request(`/api/v1/events${query}`, { headers: bearer() });
      expect(response.status).toBe(400);
      expect((await json<{ error: string }>(response)).error).toMatch(message);
    });
  });

  describe('POST /api/v1/reconcile/:kind/:namespace/:name', () => {
    it.each([
      {
        path: 'ks/flux-system/apps',
        queue: 'apply',
        job: { kind: 'apply', kustomization: { namespace: 'flux-system', name: 'apps' } },
      },
      {
        path: 'Kustomization/team/web',
        queue: 'apply',
        job: { kind: 'apply', kustomization: { namespace: 'team', name: 'web' } },
      },
      {
        path: 'gitrepo/flux-system/fleet',
        queue: 'sync-source',
        job: { kind: 'sync-source', gitRepository: { namespace: 'flux-system', name: 'fleet' } },
      },
      {
        path: 'imagepolicies/flux-system/web',
        queue: 'scan-image',
        job: { kind: 'scan-image', image: 'ghcr.io/acme/web' },
      },
    ] as { path: string; queue: JobKind; job: unknown }[])(
      'enqueues the job of $path',
      async ({ path, queue, job }) => {
        const { app, enqueuer } = build();
        const response = await app.request(`/api/v1/reconcile/${path}`, {
          method: 'POST',
          headers: bearer(),
        });
        expect(response.status).toBe(202);
        const body = await json<{ id: string; job: Job }>(response);
        expect(body.job).toEqual(job);
        expect(typeof body.id).toBe('string');
        expect(await queued(enqueuer, queue)).toEqual([job]);
      },
    );

    it('enqueues a second request for the same object rather than folding it into the first', async () => {
      const { app, enqueuer } = build();
      for (let i = 0; i < 2; i++)
        await app.request('/api/v1/reconcile/ks/flux-system/apps', { method: 'POST', headers: bearer() });
      expect(await enqueuer.queue('apply').stats()).toMatchObject({ visible: 2 });
    });

    it.each([
      {
        label: 'an object not in the config',
        path: 'ks/flux-system/gone',
        status: 404,
        message: 'Kustomization flux-system/gone is not in the config ferry serves',
      },
      {
        label: 'an object in another namespace than named',
        path: 'ks/flux-system/web',
        status: 404,
        message: 'Kustomization flux-system/web is not in the config ferry serves',
      },
      {
        label: 'an unknown kind',
        path: 'widgets/flux-system/apps',
        status: 400,
        message:
          'unknown kind "widgets"; one of: GitRepository, Kustomization, ImageRepository, ImagePolicy, ImageUpdateAutomation (or plural, or ks, gitrepo, imagerepo, imageupdate)',
      },
      {
        label: 'a kind without a job',
        path: 'provider/flux-system/chat',
        status: 400,
        message: /^Provider has no reconcile job of its own; one of: GitRepository, Kustomization/,
      },
    ])('refuses $label with $status', async ({ path, status, message }) => {
      const { app, enqueuer } = build();
      const response = await app.request(`/api/v1/reconcile/${path}`, { method: 'POST', headers: bearer() });
      expect(response.status).toBe(status);
      expect((await json<{ error: string }>(response)).error).toMatch(message);
      for (const kind of ['apply', 'sync-source', 'scan-image'] as const)
        expect(await queued(enqueuer, kind)).toEqual([]);
    });
  });
});

describe('the /api/v1 routes in ferry serve', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ferry-api-serve-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('answers with the serve token only, and queues the reconcile for the workers', async () => {
    const configDir = join(dir, 'config');
    await mkdir(configDir);
    await writeFile(join(configDir, 'config.yaml'), CONFIG);
    const logs = captureLogs();
    // No handlers: no workers and no schedule, so the queue holds only what the API asked for.
    const runtime = await startLocalRuntime({
      configDir,
      stateDir: join(dir, 'state'),
      port: 0,
      log: logs.log,
      handlers: {},
      watch: false,
      apiToken: API_TOKEN,
    });
    try {
      const refused = await fetch(`${runtime.url}/api/v1/objects`, { headers: bearer('nope') });
      expect(refused.status).toBe(401);
      const objects = await fetch(`${runtime.url}/api/v1/objects?kind=gitrepo`, { headers: bearer() });
      expect(names(await json<ObjectWithStatus[]>(objects))).toEqual(['GitRepository/flux-system/fleet']);
      const reconcile = await fetch(`${runtime.url}/api/v1/reconcile/ks/team/web`, {
        method: 'POST',
        headers: bearer(),
      });
      expect(reconcile.status).toBe(202);
      const messages = await runtime.enqueuer.queue('apply').receive({ max: 10, waitSeconds: 0 });
      expect(messages.map((m) => m.body)).toEqual([
        { kind: 'apply', kustomization: { namespace: 'team', name: 'web' } },
      ]);
      expect(logs.text()).not.toContain(API_TOKEN);
    } finally {
      await runtime.stop(1_000);
    }
  });
});
