/**
 * A trigger function (http, schedule, ecr-push): sized by functions/settings.ts, told where
 * everything is, and allowed to read the table and parameters, enqueue the kinds triggers start
 * and read every queue's depth.
 */
import type { App, Stack, Table } from 'sst/constructs';
import { Function as SstFunction } from 'sst/constructs';
import {
  grantAccess,
  parameterStatements,
  queueDepthStatement,
  sendStatement,
  tableStatement,
} from './access.ts';
import type { TriggerName } from './ferry-functions.ts';
import { handlerOf, TRIGGER_SENDS } from './ferry-functions.ts';
import { sizingOf } from './function-sizing.ts';
import type { JobQueues } from './Queues.ts';

export interface TriggerDeps {
  table: Table;
  queues: JobQueues;
  environment: Record<string, string>;
}

export function triggerFunction(stack: Stack, app: App, name: TriggerName, deps: TriggerDeps): SstFunction {
  const { timeoutSeconds, memoryMB } = sizingOf(name);
  const fn = new SstFunction(stack, name, {
    handler: handlerOf(name),
    timeout: timeoutSeconds,
    memorySize: memoryMB,
    environment: deps.environment,
  });
  grantAccess(fn, [
    tableStatement(deps.table.tableArn),
    sendStatement(TRIGGER_SENDS.map((kind) => deps.queues[kind].queue.queueArn)),
    queueDepthStatement(everyQueueArn(deps.queues)),
    ...parameterStatements(stack, app.stage),
  ]);
  return fn;
}

/** Every job queue and dead-letter queue. */
export function everyQueueArn(queues: JobQueues): string[] {
  return Object.values(queues).flatMap(({ queue, deadLetters }) => [queue.queueArn, deadLetters.queueArn]);
}
