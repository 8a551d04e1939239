export type { Logger, LoggerOptions } from './logger.ts';
export { createLogger, REDACT_PATHS, silentLogger } from './logger.ts';
export type { JobOutcome, Metrics, QueueDepthSource } from './metrics.ts';
export { createMetrics } from './metrics.ts';
