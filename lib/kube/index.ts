export type { SsaPolicy } from './annotations.ts';
export {
  FORCE_ANNOTATION,
  forceEnabled,
  NAME_LABEL,
  NAMESPACE_LABEL,
  PRUNE_ANNOTATION,
  pruneDisabled,
  SSA_ANNOTATION,
  ssaPolicyOf,
} from './annotations.ts';
export type { ApplyOptions } from './apply-objects.ts';
export { applyObjects } from './apply-objects.ts';
export type { ApplyStage, StageName } from './apply-stages.ts';
export { applyStages, isCrd, stageOf } from './apply-stages.ts';
export type { ChangeAction, ChangeEntry, ChangeSet } from './change-set.ts';
export { changeSetOf } from './change-set.ts';
export type { ObjectHealth } from './check-health.ts';
export { checkHealth } from './check-health.ts';
export type { Cluster, ConnectOptions } from './connect-cluster.ts';
export { connectCluster, KubeconfigError } from './connect-cluster.ts';
export { waitForEstablished } from './crd-established.ts';
export type { Inventory, InventoryEntry } from './inventory.ts';
export {
  InventoryEntryError,
  inventoryId,
  inventoryOf,
  ownerLabels,
  refOfEntry,
  staleObjects,
} from './inventory.ts';
export type { ApiStatus } from './kube-errors.ts';
export {
  ApplyConflictError,
  apiStatusOf,
  CrdNotEstablishedError,
  isImmutableFieldError,
  KubeApiError,
  KubeUnavailableError,
  kubeErrorFor,
} from './kube-errors.ts';
export type { Health, HealthStatus } from './object-health.ts';
export { healthOf } from './object-health.ts';
export type { ObjectRef } from './object-ref.ts';
export { describeRef, groupOf, refOf } from './object-ref.ts';
export type { PruneOptions } from './prune-objects.ts';
export { deleteInventory, pruneObjects } from './prune-objects.ts';
