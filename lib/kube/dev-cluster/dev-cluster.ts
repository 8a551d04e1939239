import { timingSafeEqual } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../../observe/logger.ts';
import { CrdController } from './crds.ts';
import type { JsonObject } from './field-paths.ts';
import { renderKubeconfig } from './kubeconfig.ts';
import { NamespaceFinalizer } from './namespaces.ts';
import { ObjectApi } from './object-api.ts';
import { storedTypes } from './object-shape.ts';
import { ObjectStore } from './object-store.ts';
import { ResourceRegistry } from './resource-types.ts';
import { asTable, resolveAddress, route } from './router.ts';
import { KubeStatusError } from './status-errors.ts';
import { serveWatch } from './watch.ts';
import { WorkloadSimulator } from './workloads.ts';

export interface DevClusterOptions {
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** How long a Deployment, StatefulSet, DaemonSet or Job takes to settle. */
  rolloutDelayMs?: number;
  log?: Logger;
  /** Serve HTTPS with this PEM certificate and key, as an API server in a pod is reached. */
  tls?: { cert: string; key: string };
  /** Answer 401 to any request without `Authorization: Bearer <token>`, as a service account's. */
  token?: string;
}

export interface DevCluster {
  url: string;
  kubeconfigPath?: string;
  writeKubeconfig(path: string): Promise<void>;
  stop(): Promise<void>;
}

/** Every response says it comes from a simulator, so nobody mistakes it for a cluster. */
export const SIMULATOR_HEADER = 'X-Ferry-Simulator';
/** Long enough for a health check to see a rollout in progress, short enough for tests. */
export const DEFAULT_ROLLOUT_DELAY_MS = 300;
const INITIAL_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function bearerMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(header ?? '');
  const wanted = Buffer.from(`Bearer ${token}`);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

/**
 * Starts an in-memory simulator of the Kubernetes API ferry uses: discovery, objects with
 * server-side apply, CRDs, and workloads that settle after a delay. Memory only: stopping it
 * forgets everything.
 */
export async function startDevCluster(options: DevClusterOptions = {}): Promise<DevCluster> {
  const registry = new ResourceRegistry();
  const store = new ObjectStore();
  const api = new ObjectApi(store, registry);
  const workloads = new WorkloadSimulator(store, options.rolloutDelayMs ?? DEFAULT_ROLLOUT_DELAY_MS);
  const crds = new CrdController(store, registry);
  const namespaceFinalizer = new NamespaceFinalizer(store, registry, () => storedTypes(registry));
  const watches = new Set<() => void>();
  const namespaces = registry.find('', 'v1', 'namespaces');
  for (const name of INITIAL_NAMESPACES) {
    api.handle({
      method: 'POST',
      resource: namespaces as NonNullable<typeof namespaces>,
      query: new URLSearchParams(),
      contentType: 'application/json',
      body: JSON.stringify({ metadata: { name } }),
      userAgent: 'ferry-dev-cluster',
    });
  }
  const headers = { [SIMULATOR_HEADER]: 'true', 'cache-control': 'no-cache, private' };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (options.token !== undefined && !bearerMatches(req.headers.authorization, options.token)) {
      const status = new KubeStatusError(401, 'Unauthorized', 'Unauthorized').status;
      res.writeHead(401, { ...headers, 'content-type': 'application/json' });
      res.end(JSON.stringify(status));
      return;
    }
    const url = new URL(req.url ?? '/', 'http://dev-cluster');
    const body = await readBody(req);
    const method = req.method ?? 'GET';
    let code: number;
    let payload: unknown;
    try {
      const address = method === 'GET' ? resolveAddress(registry, url.pathname) : undefined;
      const watch = url.searchParams.get('watch');
      if (address && address.name === undefined && (watch === 'true' || watch === '1')) {
        const close = serveWatch(store, address, url.searchParams, res, headers);
        watches.add(close);
        res.on('close', () => watches.delete(close));
        return;
      }
      const routed = route(registry, api, {
        method,
        url,
        body,
        contentType: req.headers['content-type'] ?? '',
        userAgent: req.headers['user-agent'] ?? '',
      });
      code = routed.code;
      payload = routed.body;
      if (address && /as=Table/.test(req.headers.accept ?? '') && method === 'GET')
        payload = asTable(payload as JsonObject);
    } catch (error) {
      if (!(error instanceof KubeStatusError))
        options.log?.error(
          { err: error, method, path: url.pathname },
          'dev-cluster simulator failed a request',
        );
      const status =
        error instanceof KubeStatusError
          ? error.status
          : new KubeStatusError(500, 'InternalError', String(error)).status;
      code = status.code;
      payload = status;
    }
    options.log?.debug({ method, path: url.pathname, code }, 'dev-cluster request');
    const text = typeof payload === 'string' ? payload : JSON.stringify(payload);
    res.writeHead(code, {
      ...headers,
      'content-type': typeof payload === 'string' ? 'text/plain; charset=utf-8' : 'application/json',
    });
    res.end(text);
  };

  const listener = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((error: unknown) => {
      options.log?.error({ err: error }, 'dev-cluster simulator could not answer a request');
      if (!res.headersSent) res.writeHead(500, headers);
      res.end();
    });
  };
  const server = options.tls ? createTlsServer(options.tls, listener) : createServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  // Listening on every interface, clients still need one address to reach it by.
  const reachable = address === '0.0.0.0' ? '127.0.0.1' : address === '::' ? '::1' : address;
  const url = `${options.tls ? 'https' : 'http'}://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`;
  options.log?.info(
    { url },
    'ferry dev-cluster is listening: an in-memory Kubernetes API simulator, not a real cluster',
  );

  const cluster: DevCluster = {
    url,
    async writeKubeconfig(path: string) {
      await writeFile(path, renderKubeconfig(url), { mode: 0o600 });
      cluster.kubeconfigPath = path;
    },
    async stop() {
      workloads.stop();
      crds.stop();
      namespaceFinalizer.stop();
      for (const close of watches) close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return cluster;
}
