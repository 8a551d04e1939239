// The AWS adapters. The functions import the modules themselves rather than this index, so that a
// function's bundle holds only what it runs (the EKS connections bring the Kubernetes client).

export type { AwsEnv } from './aws-env.ts';
export { AwsEnvError, envKind, JOB_KINDS, readAwsEnv } from './aws-env.ts';
export { awsHttpApp } from './aws-http-app.ts';
export type { ConfigRepositoryOptions, LoadedConfig } from './config-repository.ts';
export { ConfigRepository } from './config-repository.ts';
export type { EksClusterConnectionsOptions } from './eks-cluster-connections.ts';
export { EksClusterConnections } from './eks-cluster-connections.ts';
export type { EksAuthConfig } from './eks-kubeconfig.ts';
export {
  EKS_AUTH_PROVIDER,
  EksKubeconfigError,
  eksAuthOf,
  eksExecAuth,
  rewriteEksUsers,
} from './eks-kubeconfig.ts';
export type { EksToken, EksTokenOptions } from './eks-token.ts';
export { EKS_TOKEN_PREFIX, eksToken } from './eks-token.ts';
export {
  credentialsTreatedAsExpired,
  credentialsWillNeedRefresh,
  defaultProvider,
} from './environment-credentials.ts';
export type { CachedParameterSourceOptions, ParameterSource } from './parameter-source.ts';
export {
  cachedParameterSource,
  firstFound,
  ParameterAccessError,
  ParameterUnavailableError,
} from './parameter-source.ts';
export type { SecretRef } from './referenced-secrets.ts';
export { referencedSecrets } from './referenced-secrets.ts';
export { SecretParameterError, secretConfigFile, secretParameterName } from './secret-parameter.ts';
export type { SkipCounter, SqsBatchOptions } from './sqs-batch.ts';
export { handleSqsBatch, MessageDeferredError } from './sqs-batch.ts';
export { SecretsManagerParameterSource, SsmParameterSource } from './ssm-parameter-source.ts';
export { stateSkipCounter } from './state-skip-counter.ts';
