/**
 * `ferry dev-cluster`: runs the in-memory Kubernetes API simulator in the foreground until SIGTERM
 * or SIGINT, for trying ferry without a cluster. It says on startup that it is a simulator.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startDevCluster } from '../kube/dev-cluster/index.ts';
import type { Logger } from '../observe/logger.ts';
import { createLogger } from '../observe/logger.ts';
import type { CliIo } from './main.ts';
import { parseListen } from './serve.ts';

/** Port 8001 rather than 6443, so it never shadows a real API server someone runs beside it. */
export const DEV_CLUSTER_LISTEN = '127.0.0.1:8001';

/** The help text; the command table in `ferry --help` should point here. */
export const DEV_CLUSTER_USAGE = `Usage: ferry dev-cluster [--listen HOST:PORT] [--kubeconfig-out FILE] [--rollout-delay MS]

Serves an in-memory Kubernetes API simulator (not a real cluster; memory only) at --listen
(default ${DEV_CLUSTER_LISTEN}) and writes a kubeconfig for it to --kubeconfig-out. Workloads
become available after --rollout-delay (default 300) ms, unless an image tag starts with "fail-".`;

export interface DevClusterCommandOptions {
  log?: Logger;
  /** Stops the simulator when aborted, as SIGTERM and SIGINT do. */
  signal?: AbortSignal;
}

/** Runs `ferry dev-cluster ARGS` until a signal (or `options.signal`) stops it; returns the exit code. */
export async function devClusterCommand(
  args: string[],
  io: CliIo,
  options: DevClusterCommandOptions = {},
): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      listen: { type: 'string', default: DEV_CLUSTER_LISTEN },
      'kubeconfig-out': { type: 'string' },
      'rollout-delay': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    io.stdout(DEV_CLUSTER_USAGE);
    return 0;
  }
  const listen = parseListen(values.listen);
  const delay = values['rollout-delay'] === undefined ? undefined : Number(values['rollout-delay']);
  if (delay !== undefined && !(Number.isInteger(delay) && delay >= 0)) {
    throw new Error(`--rollout-delay: expected milliseconds, got "${values['rollout-delay']}"`);
  }
  const cluster = await startDevCluster({
    host: listen.host,
    port: listen.port,
    log: options.log ?? createLogger(),
    ...(delay === undefined ? {} : { rolloutDelayMs: delay }),
  });
  const kubeconfig = values['kubeconfig-out'] ? resolve(values['kubeconfig-out']) : undefined;
  if (kubeconfig) await cluster.writeKubeconfig(kubeconfig);
  io.stderr(
    `ferry dev-cluster: an in-memory Kubernetes API simulator, not a real cluster, serving ${cluster.url}` +
      (kubeconfig
        ? `\nkubeconfig written to ${kubeconfig} (context ferry-dev-cluster)`
        : `\nuse: kubectl --server ${cluster.url}`),
  );
  await new Promise<void>((done) => {
    const stop = () => {
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
      options.signal?.removeEventListener('abort', stop);
      done();
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
    options.signal?.addEventListener('abort', stop, { once: true });
    if (options.signal?.aborted) stop();
  });
  await cluster.stop();
  io.stderr('ferry dev-cluster: stopped; everything it held is gone');
  return 0;
}
