/**
 * Per-function settings, shared with the stacks: each function's timeout and memory, and for the
 * queue workers the batch size of their SQS event source. The stacks derive each queue's visibility
 * timeout (6 × its worker's timeout) from here, so the two never disagree. Pure constants.
 */

export interface FunctionSettings {
  timeoutSeconds: number;
  memoryMB: number;
}

export interface WorkerSettings extends FunctionSettings {
  /** Messages per invocation; FIFO groups in a batch run in parallel, a group's messages in order. */
  batchSize: number;
}

export const functionSettings = {
  /** API Gateway gives up after 30 s; webhooks answer in milliseconds anyway. */
  http: { timeoutSeconds: 29, memoryMB: 512 },
  schedule: { timeoutSeconds: 60, memoryMB: 512 },
  'ecr-push': { timeoutSeconds: 30, memoryMB: 256 },
} as const satisfies Record<string, FunctionSettings>;

export const workerSettings = {
  'scan-image': { timeoutSeconds: 300, memoryMB: 1024, batchSize: 10 },
  update: { timeoutSeconds: 300, memoryMB: 1024, batchSize: 5 },
  'sync-source': { timeoutSeconds: 300, memoryMB: 1024, batchSize: 10 },
  /** A full vCPU (1,769 MB) for builds and server-side apply of large trees. */
  apply: { timeoutSeconds: 900, memoryMB: 1769, batchSize: 5 },
  notify: { timeoutSeconds: 60, memoryMB: 256, batchSize: 10 },
} as const satisfies Record<string, WorkerSettings>;
