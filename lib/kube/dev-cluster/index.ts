export type { DevCluster, DevClusterOptions } from './dev-cluster.ts';
export { DEFAULT_ROLLOUT_DELAY_MS, SIMULATOR_HEADER, startDevCluster } from './dev-cluster.ts';
export { DEV_CLUSTER_CONTEXT, renderKubeconfig } from './kubeconfig.ts';
export { KubeStatusError } from './status-errors.ts';
