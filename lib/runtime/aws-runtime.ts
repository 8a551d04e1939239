/**
 * ferry on AWS as a library: what each function needs, composed once per cold start, as
 * local-runtime.ts composes `ferry serve`. State in DynamoDB, one SQS FIFO queue per job kind (URLs
 * from the environment), the config from the config repository with Secrets from the parameter
 * store. The function files only parse their event and call one method here. What only some
 * functions need is composed by them, so each bundles only what it runs: the job handlers and
 * alert dispatch by the workers (the Kubernetes client only by apply), the HTTP app (aws-http-app.ts)
 * by the HTTP function. Nothing here knows of Lambda.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Message } from '@aws-sdk/client-sqs';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SSMClient } from '@aws-sdk/client-ssm';
import type { AwsEnv } from '../aws/aws-env.ts';
import { JOB_KINDS } from '../aws/aws-env.ts';
import type { LoadedConfig } from '../aws/config-repository.ts';
import { ConfigRepository } from '../aws/config-repository.ts';
import type { ParameterSource } from '../aws/parameter-source.ts';
import { cachedParameterSource, firstFound } from '../aws/parameter-source.ts';
import { scheduleRemovals } from '../aws/removed-kustomizations.ts';
import { handleSqsBatch } from '../aws/sqs-batch.ts';
import { SecretsManagerParameterSource, SsmParameterSource } from '../aws/ssm-parameter-source.ts';
import { stateSkipCounter } from '../aws/state-skip-counter.ts';
import type { ConfigSet } from '../config/index.ts';
import { TransientError } from '../errors.ts';
import { JobEnqueuer } from '../jobs/enqueuer.ts';
import { EventBus } from '../jobs/event-bus.ts';
import type { Job, JobKind } from '../jobs/job.ts';
import { recordOutcome } from '../jobs/outcome.ts';
import type { JobDeps, JobHandlers } from '../jobs/run-job.ts';
import { runJob } from '../jobs/run-job.ts';
import type { ScheduleEntry } from '../jobs/schedule.ts';
import { Scheduler } from '../jobs/scheduler.ts';
import { StatusRecorder } from '../jobs/status.ts';
import { jobGroupResolver } from '../jobs/update-group.ts';
import type { Logger } from '../observe/logger.ts';
import type { Backoff } from '../queue/backoff.ts';
import { SqsJobQueueFactory } from '../queue/sqs-job-queue.ts';
import { ReceiverIndex } from '../receivers/receiver-index.ts';
import { DynamoDbStateStore } from '../state/dynamodb-state-store.ts';
import { StateConflictError } from '../state/state-store.ts';
import { recordObjects } from './object-records.ts';

export interface AwsRuntimeOptions {
  env: AwsEnv;
  log: Logger;
  /** Default: clients with the function's region and credentials. Tests point them at local servers. */
  dynamodb?: DynamoDBClient;
  sqs?: SQSClient;
  /** Default: SSM Parameter Store, then Secrets Manager, answers kept 60 s. */
  parameters?: ParameterSource;
  /** Git object caches and other scratch files; `<os tmpdir>/ferry` (a function's /tmp) by default. */
  tmpDir?: string;
  /** How long a warm function uses its config before looking at the branch again; 60 s by default. */
  configRecheckMs?: number;
  /** Deliveries before a failing job is dead-lettered; 5 by default (SQS's redrive sits above). */
  maxReceives?: number;
  backoff?: Backoff;
  now?: () => Date;
}

/** State keys of the scheduled function: the schedule, and the config revision last recorded. */
const SCHEDULE_KEY = 'schedule/entries';
const RECORDED_REVISION_KEY = 'schedule/config-revision';

export class AwsRuntime {
  readonly env: AwsEnv;
  readonly log: Logger;
  readonly state: DynamoDbStateStore;
  readonly enqueuer: JobEnqueuer;
  readonly events: EventBus;
  readonly status: StatusRecorder;
  readonly configRepository: ConfigRepository;
  readonly gitCacheDir: string;
  /** Where Secrets and the API token are read; answers cached (see parameter-source.ts). */
  readonly parameters: ParameterSource;
  readonly deps: JobDeps;
  readonly #options: AwsRuntimeOptions;
  readonly #sqs: SQSClient;

  constructor(options: AwsRuntimeOptions) {
    const { env, log, now = () => new Date() } = options;
    this.#options = options;
    this.env = env;
    this.log = log;
    const dynamodb = options.dynamodb ?? new DynamoDBClient({});
    this.#sqs = options.sqs ?? new SQSClient({});
    this.state = new DynamoDbStateStore({ client: dynamodb, tableName: env.tableName });
    const queues = new SqsJobQueueFactory({
      client: this.#sqs,
      resolveQueueUrl: async (name) => {
        const url = env.queueUrls.get(name);
        if (!url)
          throw new TransientError(`no queue URL for ${name} in the environment`, { data: { queue: name } });
        return url;
      },
    });
    const config = () => this.config();
    this.enqueuer = new JobEnqueuer(queues, jobGroupResolver(config));
    this.events = new EventBus(this.state, { log, now });
    this.status = new StatusRecorder(this.state, now);
    const tmpDir = options.tmpDir ?? join(tmpdir(), 'ferry');
    this.gitCacheDir = join(tmpDir, 'git');
    this.parameters =
      options.parameters ??
      cachedParameterSource(
        firstFound(
          new SsmParameterSource(new SSMClient({})),
          new SecretsManagerParameterSource(new SecretsManagerClient({})),
        ),
      );
    this.configRepository = new ConfigRepository({
      url: env.configUrl,
      branch: env.configBranch,
      path: env.configPath,
      cacheDir: this.gitCacheDir,
      parameters: this.parameters,
      prefix: env.parameterPrefix,
      log,
      recheckMs: options.configRecheckMs,
    });
    this.deps = {
      config,
      state: this.state,
      status: this.status,
      events: this.events,
      enqueuer: this.enqueuer,
      log,
      now,
    };
  }

  /** The config in force; load() must have succeeded once. */
  config(): ConfigSet {
    const loaded = this.configRepository.current;
    if (!loaded) throw new TransientError('the config has not been loaded yet');
    return loaded.config;
  }

  /** Loads the config, or looks at the branch again when it is due; every entry point awaits it first. */
  load(options: { force?: boolean } = {}): Promise<LoadedConfig> {
    return this.configRepository.load(options);
  }

  /**
   * One batch of a kind's queue through its handlers (see handleSqsBatch); returns the ids of the
   * messages to hand back. `signal` is the function's deadline.
   */
  async runBatch(
    kind: JobKind,
    messages: readonly Message[],
    handlers: JobHandlers,
    signal: AbortSignal,
  ): Promise<string[]> {
    await this.load();
    const { deps } = this;
    const deadLetterUrl = this.env.queueUrls.get(`${kind}-dlq.fifo`) ?? '';
    return await handleSqsBatch<Job>(
      messages,
      (job, { message, signal }) => runJob(job, handlers, deps, { signal, attempt: message.receiveCount }),
      {
        queue: this.enqueuer.queue(kind),
        client: this.#sqs,
        deadLetterUrl,
        signal,
        maxReceives: this.#options.maxReceives,
        skips: stateSkipCounter(this.state, kind),
        backoff: this.#options.backoff,
        onOutcome: ({ message, outcome, error }) =>
          recordOutcome({ job: message.body, outcome, attempt: message.receiveCount, error }, deps),
        onError: (error) =>
          this.log.warn({ err: error, queue: kind }, 'a message could not be settled; it comes back'),
      },
    );
  }

  /**
   * The scheduler's tick, once: the branch is looked at, a new config revision has its objects
   * recorded (and the Kustomizations it removed sent to be pruned, see removed-kustomizations.ts),
   * and every object whose interval elapsed gets its job. The schedule lives in state, so
   * each invocation is stateless; a tick that raced another keeps the other's schedule.
   */
  async scheduleTick(): Promise<string[]> {
    const { config, revision } = await this.load({ force: true });
    const recorded = await this.state.get<string>(RECORDED_REVISION_KEY);
    const now = this.#options.now ?? (() => new Date());
    const changed = recorded?.value !== revision;
    const previousRevision = changed ? recorded?.value : undefined;
    await scheduleRemovals(this.state, this.enqueuer, { config, previousRevision, now: now().getTime() });
    if (changed) {
      await recordObjects(this.state, config);
      await this.#recordReceivers(config);
      await this.state.put(RECORDED_REVISION_KEY, revision);
    }
    const stored = await this.state.get<Record<string, ScheduleEntry>>(SCHEDULE_KEY);
    const scheduler = new Scheduler({
      config: () => config,
      enqueuer: this.enqueuer,
      kinds: new Set(JOB_KINDS),
      log: this.log,
      now: () => now().getTime(),
      entries: new Map(Object.entries(stored?.value ?? {})),
    });
    const due = await scheduler.tick();
    try {
      const entries = Object.fromEntries(scheduler.entries);
      await this.state.put(
        SCHEDULE_KEY,
        entries,
        stored ? { ifVersion: stored.version } : { ifAbsent: true },
      );
    } catch (error) {
      if (!(error instanceof StateConflictError)) throw error;
      this.log.warn('another schedule tick ran at the same time; its schedule is kept');
    }
    return due;
  }

  /** As `ferry serve` does: a Receiver's status carries its webhook path, for the operator to give the sender. */
  async #recordReceivers(config: ConfigSet): Promise<void> {
    for (const { receiver, digest } of ReceiverIndex.fromConfig(config).list()) {
      const webhookPath = `/hook/${digest}`;
      const subject = { kind: 'Receiver', ...receiver.metadata };
      await this.status.markReady(subject, 'Succeeded', `Receiver initialized for path: ${webhookPath}`, {
        webhookPath,
      });
    }
  }
}
