/**
 * One FIFO queue per job kind, each with a FIFO dead-letter queue and its worker function. ferry
 * sends its own deduplication ids, so content-based deduplication stays off. The visibility timeout
 * is six times the worker's timeout, so SQS never hands a job to a second worker while the first
 * still runs it; SQS's redrive is the safety net behind the workers' own dead-lettering (see
 * deploy-settings.ts). Dead letters are kept 14 days, SQS's longest: they wait for a person.
 */
import type { Stack, StackContext } from 'sst/constructs';
import { Queue, Function as SstFunction, toCdkDuration, use } from 'sst/constructs';
import type { JobKind } from '../lib/jobs/job.ts';
import type { PolicyStatementJson } from './access.ts';
import {
  ecrStatements,
  eksStatement,
  grantAccess,
  parameterStatements,
  queueDepthStatement,
  sendStatement,
  tableStatement,
} from './access.ts';
import { readDeploySettings } from './deploy-settings.ts';
import { handlerOf, JOB_KINDS } from './ferry-functions.ts';
import type { QueueUrls } from './function-environment.ts';
import { ferryEnvironment } from './function-environment.ts';
import { sizingOf, visibilityTimeoutOf } from './function-sizing.ts';
import { Storage } from './Storage.ts';
import { everyQueueArn } from './trigger-function.ts';

export type JobQueues = Record<JobKind, { queue: Queue; deadLetters: Queue }>;

const RETENTION = toCdkDuration('14 days');

export function Queues({ stack, app }: StackContext) {
  const { table } = use(Storage);
  const settings = readDeploySettings(process.env, app.mode !== 'remove');

  const queues = {} as JobQueues;
  for (const kind of JOB_KINDS) {
    const fifo = { fifo: true, contentBasedDeduplication: false, retentionPeriod: RETENTION };
    const deadLetters = new Queue(stack, `${kind}-dlq`, { cdk: { queue: fifo } });
    const queue = new Queue(stack, kind, {
      cdk: {
        queue: {
          ...fifo,
          visibilityTimeout: toCdkDuration(`${visibilityTimeoutOf(kind)} seconds`),
          deadLetterQueue: { queue: deadLetters.cdk.queue, maxReceiveCount: settings.maxReceiveCount },
        },
      },
    });
    queues[kind] = { queue, deadLetters };
  }

  const urls = Object.fromEntries(
    JOB_KINDS.map((kind) => [
      kind,
      { url: queues[kind].queue.queueUrl, deadLetterUrl: queues[kind].deadLetters.queueUrl },
    ]),
  ) as Record<JobKind, QueueUrls>;
  const environment = ferryEnvironment({
    stage: app.stage,
    tableName: table.tableName,
    queues: urls,
    settings,
  });

  const workers = {} as Record<JobKind, SstFunction>;
  for (const kind of JOB_KINDS) {
    const { timeoutSeconds, memoryMB, batchSize } = sizingOf(kind);
    queues[kind].queue.addConsumer(stack, {
      function: { handler: handlerOf(kind), timeout: timeoutSeconds, memorySize: memoryMB, environment },
      cdk: { eventSource: { batchSize, reportBatchItemFailures: true } },
    });
    const worker = queues[kind].queue.consumerFunction;
    if (!(worker instanceof SstFunction)) throw new Error(`queue ${kind} has no worker function`);
    // Receiving from its own queue is the event source's grant; a worker enqueues follow-ups of any
    // kind and dead-letters its own jobs.
    grantAccess(worker, [
      tableStatement(table.tableArn),
      sendStatement(everyQueueArn(queues)),
      queueDepthStatement(everyQueueArn(queues)),
      ...parameterStatements(stack, app.stage),
      ...workerExtras(kind, stack),
    ]);
    workers[kind] = worker;
  }

  return { queues, environment, workers };
}

function workerExtras(kind: JobKind, stack: Stack): PolicyStatementJson[] {
  if (kind === 'scan-image') return ecrStatements(stack);
  if (kind === 'apply') return [eksStatement(stack)];
  return [];
}
