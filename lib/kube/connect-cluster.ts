import type { KubeConfig } from '@kubernetes/client-node';
import { KubernetesObjectApi } from '@kubernetes/client-node';
import { TerminalError } from '../errors.ts';
import { PooledKubeConfig } from './pooled-kube-config.ts';

/** Where the cluster's credentials come from; exactly one, or none for `KUBECONFIG` / `~/.kube/config`. */
export interface ConnectOptions {
  /** A kubeconfig file (`--kubeconfig`). */
  kubeconfigPath?: string;
  /** A kubeconfig's text, as held in a Secret named by `spec.kubeConfig.secretRef`. */
  kubeconfigYaml?: string;
  /** The pod's service account token and CA. */
  inCluster?: boolean;
  /** Where the service account files are mounted, when not at the root (tests). */
  serviceAccountRoot?: string;
  /** A context of the kubeconfig other than its current one. */
  context?: string;
}

/** One connection to one cluster: the object API, plus the config it was made from. */
export interface Cluster {
  readonly config: KubeConfig;
  readonly api: KubernetesObjectApi;
  /** The API server's URL, for logs and events. */
  readonly server: string;
  /** Closes the connections kept open to the API server. */
  close(): Promise<void>;
}

/** The cluster's kubeconfig could not be read or names no cluster. */
export class KubeconfigError extends TerminalError {}

/**
 * Connects through client-node, which handles every auth kind a kubeconfig may name (tokens, client
 * certificates, exec plugins). No request is made here: the first call reports reachability.
 */
export function connectCluster(options: ConnectOptions = {}): Cluster {
  const config = new PooledKubeConfig();
  const source = options.inCluster
    ? 'in-cluster'
    : (options.kubeconfigPath ?? (options.kubeconfigYaml ? 'kubeconfig secret' : 'default kubeconfig'));
  try {
    if (options.inCluster) config.loadFromCluster(options.serviceAccountRoot);
    else if (options.kubeconfigYaml !== undefined) config.loadFromString(options.kubeconfigYaml);
    else if (options.kubeconfigPath !== undefined) config.loadFromFile(options.kubeconfigPath);
    else config.loadFromDefault();
    if (options.context !== undefined) config.setCurrentContext(options.context);
  } catch (error) {
    // A parse error may quote the text, and a Secret's kubeconfig holds credentials: say only where it came from.
    if (options.kubeconfigYaml !== undefined)
      throw new KubeconfigError(`cannot load the kubeconfig (${source})`, { data: { source } });
    throw new KubeconfigError(
      `cannot load the kubeconfig (${source}): ${error instanceof Error ? error.message : error}`,
      {
        cause: error,
        data: { source },
      },
    );
  }
  const server = config.getCurrentCluster()?.server;
  if (!server) throw new KubeconfigError(`the kubeconfig (${source}) names no cluster`, { data: { source } });
  return {
    config,
    api: KubernetesObjectApi.makeApiClient(config),
    server,
    close: () => config.closeConnections(),
  };
}
