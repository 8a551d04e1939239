/**
 * `ferry serve` as a library: one process with the HTTP app, the scheduler and a worker per job
 * kind, over the embedded state store and queue in one state directory. The AWS functions compose
 * the same pieces differently; nothing here is needed by them.
 */
import { access, mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import type { ConfigSet } from '../config/index.ts';
import { loadConfigDir } from '../config/index.ts';
import { createApp } from '../http/app.ts';
import { attachAlerts } from '../jobs/alert-dispatch.ts';
import { ClusterConnections } from '../jobs/cluster-connections.ts';
import { JobEnqueuer } from '../jobs/enqueuer.ts';
import { EventBus } from '../jobs/event-bus.ts';
import { pruneOrphanInventories } from '../jobs/orphan-inventories.ts';
import type { JobHandlers } from '../jobs/run-job.ts';
import { Scheduler } from '../jobs/scheduler.ts';
import { StatusRecorder } from '../jobs/status.ts';
import { jobGroupResolver } from '../jobs/update-group.ts';
import type { WorkersOptions } from '../jobs/workers.ts';
import { startWorkers } from '../jobs/workers.ts';
import type { Logger } from '../observe/logger.ts';
import { createMetrics } from '../observe/metrics.ts';
import { EmbeddedJobQueueFactory } from '../queue/index.ts';
import type { ReceiverHandler } from '../receivers/index.ts';
import { RECEIVER_HANDLERS, ReceiverIndex } from '../receivers/index.ts';
import { RegistryClient } from '../registry/index.ts';
import { EmbeddedStateStore } from '../state/index.ts';
import { ConfigWatcher } from './config-watcher.ts';
import { defaultJobHandlers } from './job-handlers.ts';
import { recordObjects } from './object-records.ts';
import { lockStateDirectory } from './serve-lock.ts';

export interface LocalRuntimeOptions {
  configDir: string;
  stateDir: string;
  host?: string;
  /** 0 picks a free port (tests). */
  port?: number;
  kubeconfig?: string;
  /** Without a kubeconfig: apply with the pod's service account (ferry runs in the cluster). */
  inCluster?: boolean;
  /** `--sync-tag`: the git tag moved to each revision applied. */
  syncTag?: string;
  handlers?: JobHandlers;
  receiverHandlers?: Readonly<Record<string, ReceiverHandler>>;
  log: Logger;
  /** Reload the config when files under configDir change. */
  watch?: boolean;
  consumer?: WorkersOptions['consumer'];
  schedulerTickMs?: number;
  /** The bearer token /api/v1 requires (`--api-token-file`, FERRY_API_TOKEN); without one /api is closed. */
  apiToken?: string;
}

export interface LocalRuntime {
  url: string;
  config(): ConfigSet;
  enqueuer: JobEnqueuer;
  events: EventBus;
  status: StatusRecorder;
  state: EmbeddedStateStore;
  /** Loads the config again; a bad one is logged and the running one kept. Returns whether it changed. */
  reload(): Promise<boolean>;
  /** Stops taking requests and jobs, lets running jobs finish within graceMs, closes the stores. */
  stop(graceMs?: number): Promise<void>;
}

/** Starts everything, or throws (a ConfigError for a bad config) having started nothing. */
export async function startLocalRuntime(options: LocalRuntimeOptions): Promise<LocalRuntime> {
  const { log } = options;
  let config = await loadConfigDir(options.configDir);
  let receivers = ReceiverIndex.fromConfig(config);
  if (options.kubeconfig) await access(options.kubeconfig);

  await mkdir(options.stateDir, { recursive: true });
  const lock = lockStateDirectory(options.stateDir);
  const state = new EmbeddedStateStore({ dir: options.stateDir });
  const queues = new EmbeddedJobQueueFactory({ dir: options.stateDir });
  const recovered = queues.recoverInFlight();
  if (recovered > 0)
    log.info({ jobs: recovered }, 'jobs left running by a previous process given back to the queue');
  const status = new StatusRecorder(state);
  await recordObjects(state, config);
  await recordReceivers(status, receivers);

  const metrics = createMetrics();
  const enqueuer = new JobEnqueuer(
    queues,
    jobGroupResolver(() => config),
  );
  const events = new EventBus(state, { log });
  const detachAlerts = attachAlerts(events, {
    config: () => config,
    enqueuer,
    state,
    log,
    now: () => new Date(),
  });
  const gitCacheDir = join(options.stateDir, 'git');
  const clusters = new ClusterConnections(
    options.kubeconfig ?? (options.inCluster ? { inCluster: true } : undefined),
  );
  const handlers =
    options.handlers ??
    defaultJobHandlers({
      registry: new RegistryClient({ logger: log }),
      gitCacheDir,
      clusters,
      syncTag: options.syncTag,
    });
  metrics.watchQueues(Object.keys(handlers).map((kind) => enqueuer.queue(kind as keyof JobHandlers)));

  const app = createApp({
    current: () => ({ config, receivers }),
    state,
    enqueuer,
    metrics,
    log,
    receiverHandlers: options.receiverHandlers ?? RECEIVER_HANDLERS,
    apiToken: async () => options.apiToken,
  });
  const server = serve({
    fetch: app.fetch,
    hostname: options.host ?? '127.0.0.1',
    port: options.port ?? 3030,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const address = server.address() as AddressInfo;
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;

  const deps = { config: () => config, state, status, events, enqueuer, log, now: () => new Date() };
  const workers = startWorkers({ enqueuer, handlers, deps, metrics, consumer: options.consumer });
  const scheduler = new Scheduler({
    config: () => config,
    enqueuer,
    kinds: workers.kinds,
    log,
    tickMs: options.schedulerTickMs,
  });
  scheduler.start();
  // A Kustomization removed while ferry was down, or whose removal did not finish, is pruned now.
  pruneOrphanInventories({ config, state, clusters, events, log }).catch((error) =>
    log.error({ err: error }, 'pruning removed Kustomizations failed'),
  );

  async function reload(): Promise<boolean> {
    try {
      const next = await loadConfigDir(options.configDir);
      const nextReceivers = ReceiverIndex.fromConfig(next);
      await recordObjects(state, next);
      await recordReceivers(status, nextReceivers);
      const previous = config;
      config = next;
      receivers = nextReceivers;
      await pruneOrphanInventories({ config: next, previous, state, clusters, events, log }).catch((error) =>
        log.error({ err: error }, 'pruning removed Kustomizations failed'),
      );
      log.info({ objects: next.size }, 'config reloaded');
      return true;
    } catch (error) {
      log.error({ err: error }, 'config reload failed; keeping the running config');
      return false;
    }
  }
  const watcher = options.watch === false ? undefined : new ConfigWatcher(options.configDir, reload, log);

  log.info(
    {
      url,
      objects: config.size,
      receivers: receivers.size,
      workers: [...workers.kinds],
      stateDir: options.stateDir,
    },
    'ferry is serving',
  );

  return {
    url,
    config: () => config,
    enqueuer,
    events,
    status,
    state,
    reload,
    async stop(graceMs = 10_000) {
      const deadline = Date.now() + graceMs;
      watcher?.close();
      await scheduler.stop();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      if ('closeIdleConnections' in server) server.closeIdleConnections();
      await workers.stop(Math.max(0, deadline - Date.now() - 500));
      // After the workers: a job finishing within the grace period still gets its alerts queued.
      detachAlerts();
      await closed;
      await clusters.close();
      await queues.close();
      await state.close();
      lock.release();
      log.info('ferry stopped');
    },
  };
}

/** As Flux does, a Receiver's status carries its webhook path, for the operator to give the sender. */
async function recordReceivers(status: StatusRecorder, receivers: ReceiverIndex): Promise<void> {
  for (const { receiver, digest } of receivers.list()) {
    const webhookPath = `/hook/${digest}`;
    const subject = { kind: 'Receiver', ...receiver.metadata };
    await status.markReady(subject, 'Succeeded', `Receiver initialized for path: ${webhookPath}`, {
      webhookPath,
    });
  }
}
