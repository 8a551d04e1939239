export { ConfigError, type ConfigIssue, formatIssue } from './config-error.ts';
export { ConfigSet, MissingSecretError, type SecretValuesOptions } from './config-set.ts';
export { DurationError, formatDuration, parseDuration } from './duration.ts';
export {
  type Alert,
  FLUX_KINDS,
  type FluxKind,
  type FluxObject,
  type GitRepository,
  type ImagePolicy,
  type ImageRepository,
  type ImageUpdateAutomation,
  isSuspended,
  type Kustomization,
  type ObjectMeta,
  type ObjectOfKind,
  objectKey,
  type Provider,
  type Receiver,
  reconcileIntervalMs,
  type Secret,
  type SourceLocation,
  timeoutMs,
} from './flux-object.ts';
export { type LabelSelector, matchesSelector } from './label-selector.ts';
export { type ConfigFile, loadConfigDir, loadConfigFiles } from './loader.ts';
export type { AlertSpec } from './schemas/alert.ts';
export { DEFAULT_NAMESPACE } from './schemas/common.ts';
export type { GitRepositoryRef, GitRepositorySpec } from './schemas/git-repository.ts';
export type { ImagePolicySpec } from './schemas/image-policy.ts';
export { DEFAULT_EXCLUSION_LIST, type ImageRepositorySpec } from './schemas/image-repository.ts';
export type { ImageUpdateAutomationSpec } from './schemas/image-update-automation.ts';
export type { KustomizationSpec } from './schemas/kustomization.ts';
export { PROVIDER_TYPES, type ProviderSpec, type ProviderType } from './schemas/provider.ts';
export {
  FERRY_RECEIVER_TYPES,
  FLUX_RECEIVER_TYPES,
  RECEIVER_TYPES,
  type ReceiverSpec,
  type ReceiverType,
} from './schemas/receiver.ts';
