export { StateChunksMissingError } from './chunk-store.ts';
export type { DynamoDbStateStoreOptions } from './dynamodb-state-store.ts';
export { DynamoDbStateStore } from './dynamodb-state-store.ts';
export type { EmbeddedStateStoreOptions } from './embedded-state-store.ts';
export { EMBEDDED_STATE_FILE, EmbeddedStateStore } from './embedded-state-store.ts';
export type { DeleteOptions, PutOptions, QueryOptions, StateStore, StoredItem } from './state-store.ts';
export {
  MAX_STATE_KEY_BYTES,
  StateConflictError,
  StateKeyError,
  StateValueError,
  splitItemKey,
  splitKey,
} from './state-store.ts';
export {
  createStateTable,
  stateTableAttributeDefinitions,
  stateTableKeySchema,
  stateTableLayout,
} from './state-table.ts';
