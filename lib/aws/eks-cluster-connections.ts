/**
 * ClusterConnections for functions: kubeconfig Secrets work as under `ferry serve`, and a
 * kubeconfig whose user is an EKS exec plugin (or ferry's own `ferry-eks` auth provider) gets a
 * signed IAM token per request instead of a spawned `aws` command. Tokens are kept per cluster and
 * region until a minute before they expire. There is no default cluster in a function.
 */
import { createHash } from 'node:crypto';
import type { ConfigSet, Kustomization } from '../config/index.ts';
import { objectKey } from '../config/index.ts';
import { ClusterConnections } from '../jobs/cluster-connections.ts';
import type { Cluster } from '../kube/index.ts';
import { connectCluster } from '../kube/index.ts';
import { eksAuthOf, rewriteEksUsers } from './eks-kubeconfig.ts';
import type { EksTokenOptions } from './eks-token.ts';
import { eksToken } from './eks-token.ts';

export interface EksClusterConnectionsOptions {
  /** The function's region, for users whose command names none. */
  region: string;
  credentials: EksTokenOptions['credentials'];
  now?: () => Date;
}

export class EksClusterConnections extends ClusterConnections {
  readonly #options: EksClusterConnectionsOptions;
  readonly #open = new Map<string, Cluster>();
  readonly #tokens = new Map<string, Promise<{ token: string; expiresAt: Date }>>();

  constructor(options: EksClusterConnectionsOptions) {
    super(undefined);
    this.#options = options;
  }

  override for(kustomization: Kustomization, config: ConfigSet): Cluster {
    const ref = kustomization.spec.kubeConfig?.secretRef;
    if (!ref) return super.for(kustomization, config);
    const key = ref.key ?? 'value';
    const secret = `Secret ${kustomization.metadata.namespace}/${ref.name}`;
    const values = config.secretValues(kustomization.metadata.namespace, ref.name, {
      required: [key],
      referrer: objectKey(kustomization),
    });
    const original = values[key] as string;
    const hash = `eks:${createHash('sha256').update(original).digest('hex')}`;
    const open = this.#open.get(hash);
    if (open) return open;
    const rewritten = rewriteEksUsers(original, secret);
    if (rewritten === undefined) return super.for(kustomization, config);
    const cluster = connectCluster({ kubeconfigYaml: rewritten });
    cluster.config.addAuthenticator({
      isAuthProvider: (user) => eksAuthOf(user) !== undefined,
      applyAuthentication: async (user, opts) => {
        const auth = eksAuthOf(user);
        if (!auth) return;
        const { token } = await this.#token(auth.clusterName, auth.region ?? this.#options.region);
        opts.headers = { ...opts.headers, Authorization: `Bearer ${token}` };
      },
    });
    this.#open.set(hash, cluster);
    return cluster;
  }

  override async close(): Promise<void> {
    await Promise.all([...this.#open.values()].map((c) => c.close()));
    this.#open.clear();
    await super.close();
  }

  #token(clusterName: string, region: string): Promise<{ token: string; expiresAt: Date }> {
    const { credentials, now = () => new Date() } = this.#options;
    const key = `${region}/${clusterName}`;
    const cached = this.#tokens.get(key);
    const fresh = async () => {
      const token = await cached?.catch(() => undefined);
      return token !== undefined && token.expiresAt.getTime() > now().getTime();
    };
    const next = (async () => {
      if (await fresh()) return (await cached) as { token: string; expiresAt: Date };
      return await eksToken({ clusterName, region, credentials, now });
    })();
    this.#tokens.set(key, next);
    // A failure forgets only itself: a newer token asked for meanwhile stays.
    next.catch(() => {
      if (this.#tokens.get(key) === next) this.#tokens.delete(key);
    });
    return next;
  }
}
