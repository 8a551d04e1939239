/**
 * Timeout, memory and batch size of each function, as functions/settings.ts gives them (the
 * functions' own file, so the two never disagree): the stacks size the functions, their queues'
 * visibility timeouts and their event sources from it.
 */
import type { FunctionSettings, WorkerSettings } from '../functions/settings.ts';
import { functionSettings, workerSettings } from '../functions/settings.ts';
import type { JobKind } from '../lib/jobs/job.ts';
import type { FerryFunctionName, TriggerName } from './ferry-functions.ts';

/** Compiles only while settings.ts sizes every trigger and every job kind's worker. */
const TRIGGERS: Record<TriggerName, FunctionSettings> = functionSettings;
const WORKERS: Record<JobKind, WorkerSettings> = workerSettings;

export function sizingOf(name: TriggerName): FunctionSettings;
export function sizingOf(name: JobKind): WorkerSettings;
export function sizingOf(name: FerryFunctionName): FunctionSettings | WorkerSettings;
export function sizingOf(name: FerryFunctionName): FunctionSettings | WorkerSettings {
  return name in WORKERS ? WORKERS[name as JobKind] : TRIGGERS[name as TriggerName];
}

/**
 * SQS hides a received message this long: six times its worker's timeout, as Lambda advises for
 * SQS event sources, so a job is never handed to a second worker while the first still runs it.
 */
export function visibilityTimeoutOf(kind: JobKind): number {
  return 6 * WORKERS[kind].timeoutSeconds;
}
