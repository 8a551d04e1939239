import type { ApiConstructor, ApiType, RequestContext } from '@kubernetes/client-node';
import { createConfiguration, KubeConfig, ServerConfiguration } from '@kubernetes/client-node';
import { NodeHttpLibrary } from './node-http-library.ts';

type Dispatcher = NonNullable<ReturnType<RequestContext['getDispatcher']>>;

/**
 * A KubeConfig whose requests share one connection pool: through ferry's node:http transport, or,
 * behind a proxy, through one client-node agent. client-node builds a new HTTP agent for
 * every request whose cluster has TLS settings (a CA, client certificates, or skip-verify), so
 * each request opened its own connection and the agents piled up: applying 1,000 objects took
 * 2.5 times kubectl's time and half a gigabyte. Keeping the first agent fixes both. It lives as
 * long as the Cluster; a job connects afresh each run, so rotated exec credentials are picked up.
 */
export class PooledKubeConfig extends KubeConfig {
  #shared: Dispatcher | undefined;
  readonly #transport = new NodeHttpLibrary(this);

  /** API clients that send through the pooled node:http transport; through a proxy, client-node's own. */
  override makeApiClient<T extends ApiType>(apiClientType: ApiConstructor<T>): T {
    const cluster = this.getCurrentCluster();
    if (!cluster || cluster.proxyUrl) return super.makeApiClient(apiClientType);
    return new apiClientType(
      createConfiguration({
        baseServer: new ServerConfiguration(cluster.server, {}),
        authMethods: { default: this },
        httpApi: this.#transport,
      }),
    );
  }

  override async applySecurityAuthentication(context: RequestContext): Promise<void> {
    await super.applySecurityAuthentication(context);
    const created = context.getDispatcher();
    if (!created) return;
    this.#shared ??= created;
    // The extra agent never connected: dropping it is enough.
    if (created !== this.#shared) context.setDispatcher(this.#shared);
  }

  /** Closes the pooled connections; later requests open a new pool. */
  async closeConnections(): Promise<void> {
    this.#transport.close();
    const shared = this.#shared;
    this.#shared = undefined;
    await shared?.close();
  }
}
