import { stringify } from 'yaml';

/** The cluster, user and context name in the kubeconfig the simulator writes. */
export const DEV_CLUSTER_CONTEXT = 'ferry-dev-cluster';

/**
 * A kubeconfig for the simulator: plain HTTP, no credentials, one context named `ferry-dev-cluster`.
 * `insecure-skip-tls-verify` is set because the client library refuses plain HTTP without it.
 */
export function renderKubeconfig(serverUrl: string, namespace = 'default'): string {
  const name = DEV_CLUSTER_CONTEXT;
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster: { server: serverUrl, 'insecure-skip-tls-verify': true } }],
    users: [{ name, user: {} }],
    contexts: [{ name, context: { cluster: name, user: name, namespace } }],
    'current-context': name,
    preferences: {},
  });
}
