import { beforeAll, describe, expect, it } from 'vitest';
import type { FunctionSettings, WorkerSettings } from '../../functions/settings.ts';
import { functionSettings, workerSettings } from '../../functions/settings.ts';
import { stateTableLayout } from '../../lib/state/state-table.ts';
import { HTTP_ROUTES, THROTTLE } from '../../stacks/Api.ts';
import { DEFAULT_MAX_RECEIVE_COUNT } from '../../stacks/deploy-settings.ts';
import { JOB_KINDS, TRIGGER_SENDS } from '../../stacks/ferry-functions.ts';
import { ECR_PUSH_PATTERN, SCHEDULE_EXPRESSION } from '../../stacks/Schedules.ts';
import type { Templates } from './synthesise.ts';
import { ACCOUNT, DEPLOY_ENV, REGION, synthesise } from './synthesise.ts';
import type { Located } from './template-queries.ts';
import { ferryFunction, ferryFunctions, flat, json, referenceOf, resourcesOf } from './template-queries.ts';

const FUNCTION_NAMES = ['http', 'schedule', 'ecr-push', ...JOB_KINDS] as const;
const PROD_ENV = { FERRY_CONFIG_URL: DEPLOY_ENV.FERRY_CONFIG_URL, FERRY_MAX_RECEIVE_COUNT: '7' };

/** The functions' own settings, which the stacks must follow. */
function settingsOf(name: string): FunctionSettings & Partial<WorkerSettings> {
  const all: Record<string, FunctionSettings & Partial<WorkerSettings>> = {
    ...functionSettings,
    ...workerSettings,
  };
  const found = all[name];
  if (!found) throw new Error(`functions/settings.ts has no settings for ${name}`);
  return found;
}

let dev: Templates;
let prod: Templates;

/** dev is bundled for real; prod, whose tests look at everything but code, is not (see synthesise). */
beforeAll(async () => {
  dev = await synthesise('dev');
  prod = await synthesise('prod', { env: PROD_ENV, bundle: false });
}, 120_000);

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

/** Every IAM statement granted to a role, with the role it is granted to. */
function statementsOf(templates: Templates): { role: string; statement: Statement }[] {
  return resourcesOf(templates, 'AWS::IAM::Policy').flatMap(({ stack, resource }) => {
    const roles = resource.Properties.Roles as unknown[];
    const document = resource.Properties.PolicyDocument as { Statement: Statement[] };
    return roles.flatMap((role) =>
      document.Statement.map((statement) => ({ role: referenceOf(templates, stack, role), statement })),
    );
  });
}

function roleOf(templates: Templates, fn: Located): string {
  return referenceOf(templates, fn.stack, fn.resource.Properties.Role).replace(/\.Arn$/, '');
}

function actionsOf(statement: Statement): string[] {
  return Array.isArray(statement.Action) ? statement.Action : [statement.Action];
}

function queueOf(templates: Templates, name: string): Located {
  const found = resourcesOf(templates, 'AWS::SQS::Queue').find(
    (q) => q.resource.Properties.QueueName === name,
  );
  if (!found) throw new Error(`no queue named ${name}`);
  return found;
}

describe('Storage stack', () => {
  it('defines the state table with the keys and TTL attribute the DynamoDB state store uses', () => {
    const [table] = resourcesOf(dev, 'AWS::DynamoDB::Table');
    expect(resourcesOf(dev, 'AWS::DynamoDB::Table')).toHaveLength(1);
    expect(table?.resource.Properties).toMatchObject({
      TableName: 'dev-ferry-state',
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: stateTableLayout.partitionKey, KeyType: 'HASH' },
        { AttributeName: stateTableLayout.sortKey, KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
  });

  it.each([
    { stage: 'dev', templates: () => dev, protectedTable: false, policy: 'Delete' },
    { stage: 'prod', templates: () => prod, protectedTable: true, policy: 'Retain' },
  ])(
    'protects the table from deletion only in production ($stage)',
    ({ templates, protectedTable, policy }) => {
      const [table] = resourcesOf(templates(), 'AWS::DynamoDB::Table');
      expect(table?.resource.Properties.DeletionProtectionEnabled).toBe(protectedTable);
      expect(table?.resource.DeletionPolicy).toBe(policy);
    },
  );
});

describe('Queues stack', () => {
  it.each(JOB_KINDS)('gives %s a FIFO queue redriving to its FIFO dead-letter queue', (kind) => {
    const queue = queueOf(dev, `dev-ferry-${kind}.fifo`);
    const deadLetters = queueOf(dev, `dev-ferry-${kind}-dlq.fifo`);
    expect(queue.resource.Properties).toMatchObject({
      FifoQueue: true,
      ContentBasedDeduplication: false,
      MessageRetentionPeriod: 14 * 24 * 3600,
    });
    expect(deadLetters.resource.Properties).toMatchObject({
      FifoQueue: true,
      ContentBasedDeduplication: false,
      MessageRetentionPeriod: 14 * 24 * 3600,
    });
    expect(deadLetters.resource.Properties.RedrivePolicy).toBeUndefined();
    const redrive = queue.resource.Properties.RedrivePolicy as {
      deadLetterTargetArn: unknown;
      maxReceiveCount: number;
    };
    expect(referenceOf(dev, queue.stack, redrive.deadLetterTargetArn)).toBe(`Queues/${deadLetters.id}.Arn`);
    expect(redrive.maxReceiveCount).toBe(DEFAULT_MAX_RECEIVE_COUNT);
  });

  it('takes the redrive threshold from FERRY_MAX_RECEIVE_COUNT', () => {
    for (const kind of JOB_KINDS) {
      const redrive = queueOf(prod, `prod-ferry-${kind}.fifo`).resource.Properties.RedrivePolicy;
      expect(redrive).toMatchObject({ maxReceiveCount: 7 });
    }
  });

  it.each(JOB_KINDS)('hides a received %s job for six times its worker’s timeout', (kind) => {
    const worker = ferryFunction(dev, kind);
    const queue = queueOf(dev, `dev-ferry-${kind}.fifo`);
    expect(worker.resource.Properties.Timeout).toBe(settingsOf(kind).timeoutSeconds);
    expect(queue.resource.Properties.VisibilityTimeout).toBe(6 * settingsOf(kind).timeoutSeconds);
  });

  it.each(JOB_KINDS)('feeds %s jobs to their worker in batches that report partial failures', (kind) => {
    const worker = ferryFunction(dev, kind);
    const queue = queueOf(dev, `dev-ferry-${kind}.fifo`);
    const mappings = resourcesOf(dev, 'AWS::Lambda::EventSourceMapping').filter(
      (m) => referenceOf(dev, m.stack, m.resource.Properties.FunctionName) === `${worker.stack}/${worker.id}`,
    );
    expect(mappings).toHaveLength(1);
    const [mapping] = mappings;
    expect(referenceOf(dev, 'Queues', mapping?.resource.Properties.EventSourceArn)).toBe(
      `Queues/${queue.id}.Arn`,
    );
    expect(mapping?.resource.Properties).toMatchObject({
      BatchSize: settingsOf(kind).batchSize,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });
});

describe('Api stack', () => {
  it('serves every route of the Hono app from the one http function', () => {
    const routes = resourcesOf(dev, 'AWS::ApiGatewayV2::Route');
    expect(routes.map((r) => r.resource.Properties.RouteKey).sort()).toEqual([...HTTP_ROUTES].sort());
    expect(HTTP_ROUTES).toContain('ANY /api/{proxy+}');
    // The app itself guards /api with its token: API Gateway adds no authorizer that could disagree.
    for (const route of routes) expect(route.resource.Properties.AuthorizationType ?? 'NONE').toBe('NONE');
    const http = ferryFunction(dev, 'http');
    for (const integration of resourcesOf(dev, 'AWS::ApiGatewayV2::Integration')) {
      expect(integration.resource.Properties).toMatchObject({
        IntegrationType: 'AWS_PROXY',
        PayloadFormatVersion: '2.0',
      });
      expect(referenceOf(dev, 'Api', integration.resource.Properties.IntegrationUri)).toBe(
        `Api/${http.id}.Arn`,
      );
    }
    expect(resourcesOf(dev, 'AWS::ApiGatewayV2::Integration')).toHaveLength(HTTP_ROUTES.length);
  });

  it('throttles every route at the stage', () => {
    const [stage] = resourcesOf(dev, 'AWS::ApiGatewayV2::Stage');
    expect(stage?.resource.Properties.DefaultRouteSettings).toEqual({
      ThrottlingBurstLimit: THROTTLE.burst,
      ThrottlingRateLimit: THROTTLE.rate,
    });
  });
});

describe('Schedules stack', () => {
  function rules(): Located[] {
    return resourcesOf(dev, 'AWS::Events::Rule');
  }

  it('runs the schedule function every minute', () => {
    const scheduled = rules().filter((r) => r.resource.Properties.ScheduleExpression !== undefined);
    expect(scheduled.map((r) => r.resource.Properties.ScheduleExpression)).toEqual([SCHEDULE_EXPRESSION]);
    expect(SCHEDULE_EXPRESSION).toBe('rate(1 minute)');
    const targets = scheduled[0]?.resource.Properties.Targets as { Arn: unknown }[];
    expect(targets.map((t) => referenceOf(dev, 'Schedules', t.Arn))).toEqual([
      `Schedules/${ferryFunction(dev, 'schedule').id}.Arn`,
    ]);
  });

  it('delivers successful ECR pushes straight to the ecr-push function', () => {
    const pushes = rules().filter((r) => r.resource.Properties.EventPattern !== undefined);
    expect(pushes).toHaveLength(1);
    const [rule] = pushes;
    expect(rule?.resource.Properties.EventPattern).toEqual({
      source: ['aws.ecr'],
      'detail-type': ['ECR Image Action'],
      detail: { 'action-type': ['PUSH'], result: ['SUCCESS'] },
    });
    expect(ECR_PUSH_PATTERN).toEqual(rule?.resource.Properties.EventPattern);
    const ecrPush = ferryFunction(dev, 'ecr-push');
    const targets = rule?.resource.Properties.Targets as { Arn: unknown }[];
    expect(targets.map((t) => referenceOf(dev, 'Schedules', t.Arn))).toEqual([`Schedules/${ecrPush.id}.Arn`]);
    const permissions = resourcesOf(dev, 'AWS::Lambda::Permission').filter(
      (p) =>
        p.resource.Properties.Principal === 'events.amazonaws.com' &&
        p.resource.Properties.SourceArn !== undefined,
    );
    expect(
      permissions.some(
        (p) =>
          referenceOf(dev, 'Schedules', p.resource.Properties.FunctionName) ===
            `Schedules/${ecrPush.id}.Arn` &&
          referenceOf(dev, 'Schedules', p.resource.Properties.SourceArn) === `Schedules/${rule?.id}.Arn`,
      ),
    ).toBe(true);
  });
});

describe('every function', () => {
  it('exists once per trigger and job kind', () => {
    expect([...ferryFunctions(dev).keys()].sort()).toEqual([...FUNCTION_NAMES].sort());
  });

  it.each(FUNCTION_NAMES)('runs %s on Node 24, arm64, sized by its settings', (name) => {
    const { resource } = ferryFunction(dev, name);
    expect(resource.Properties).toMatchObject({
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Timeout: settingsOf(name).timeoutSeconds,
      MemorySize: settingsOf(name).memoryMB,
    });
    expect(resource.Properties.TracingConfig).toBeUndefined();
  });

  it.each(FUNCTION_NAMES)('tells %s where state, queues, config and secrets are', (name) => {
    const environment = (
      ferryFunction(dev, name).resource.Properties.Environment as { Variables: Record<string, unknown> }
    ).Variables;
    expect(environment).toMatchObject({
      FERRY_STAGE: 'dev',
      FERRY_CONFIG_URL: DEPLOY_ENV.FERRY_CONFIG_URL,
      FERRY_CONFIG_BRANCH: DEPLOY_ENV.FERRY_CONFIG_BRANCH,
      FERRY_CONFIG_PATH: DEPLOY_ENV.FERRY_CONFIG_PATH,
      FERRY_PARAMETER_PREFIX: '/ferry/dev',
    });
    const { stack } = ferryFunction(dev, name);
    const [table] = resourcesOf(dev, 'AWS::DynamoDB::Table');
    expect(referenceOf(dev, stack, environment.FERRY_TABLE_NAME)).toBe(`Storage/${table?.id}`);
    for (const kind of JOB_KINDS) {
      const suffix = kind.toUpperCase().replaceAll('-', '_');
      const queue = queueOf(dev, `dev-ferry-${kind}.fifo`);
      const deadLetters = queueOf(dev, `dev-ferry-${kind}-dlq.fifo`);
      expect(referenceOf(dev, stack, environment[`FERRY_QUEUE_${suffix}_URL`])).toBe(`Queues/${queue.id}`);
      expect(referenceOf(dev, stack, environment[`FERRY_DLQ_${suffix}_URL`])).toBe(
        `Queues/${deadLetters.id}`,
      );
    }
  });
});

describe('Alarms stack', () => {
  function alarms(templates: Templates): Located[] {
    return resourcesOf(templates, 'AWS::CloudWatch::Alarm');
  }
  function dimensionOf(templates: Templates, alarm: Located): string {
    const [dimension] = alarm.resource.Properties.Dimensions as { Value: unknown }[];
    return referenceOf(templates, 'Alarms', dimension?.Value);
  }

  it.each(JOB_KINDS)('raises an alarm when a %s job sits in the dead-letter queue', (kind) => {
    const deadLetters = queueOf(dev, `dev-ferry-${kind}-dlq.fifo`);
    const matching = alarms(dev).filter(
      (a) =>
        a.resource.Properties.Namespace === 'AWS/SQS' &&
        dimensionOf(dev, a) === `Queues/${deadLetters.id}.QueueName`,
    );
    expect(matching).toHaveLength(1);
    expect(matching[0]?.resource.Properties).toMatchObject({
      MetricName: 'ApproximateNumberOfMessagesVisible',
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
    });
  });

  it.each(FUNCTION_NAMES)('raises an alarm when the %s function fails', (name) => {
    const fn = ferryFunction(dev, name);
    const matching = alarms(dev).filter(
      (a) =>
        a.resource.Properties.Namespace === 'AWS/Lambda' && dimensionOf(dev, a) === `${fn.stack}/${fn.id}`,
    );
    expect(matching).toHaveLength(1);
    expect(matching[0]?.resource.Properties).toMatchObject({
      MetricName: 'Errors',
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
    });
  });

  it('sends every alarm to one topic, mailed when FERRY_ALARM_EMAIL is set', () => {
    expect(alarms(dev)).toHaveLength(JOB_KINDS.length + FUNCTION_NAMES.length);
    const [topic] = resourcesOf(dev, 'AWS::SNS::Topic');
    for (const alarm of alarms(dev)) {
      expect(
        (alarm.resource.Properties.AlarmActions as unknown[]).map((a) => referenceOf(dev, 'Alarms', a)),
      ).toEqual([`Alarms/${topic?.id}`]);
    }
    const subscriptions = resourcesOf(dev, 'AWS::SNS::Subscription');
    expect(subscriptions.map((s) => s.resource.Properties)).toEqual([
      { TopicArn: { Ref: topic?.id }, Protocol: 'email', Endpoint: DEPLOY_ENV.FERRY_ALARM_EMAIL },
    ]);
    expect(resourcesOf(prod, 'AWS::SNS::Subscription')).toEqual([]);
  });
});

describe('least privilege', () => {
  it('grants "*" nowhere but ecr:GetAuthorizationToken, which names no resource', () => {
    const wildcards = statementsOf(dev).filter(({ statement }) =>
      [statement.Resource].flat().some((resource) => resource === '*'),
    );
    const worker = ferryFunction(dev, 'scan-image');
    expect(wildcards.map(({ role, statement }) => ({ role, actions: actionsOf(statement) }))).toEqual([
      { role: roleOf(dev, worker), actions: ['ecr:GetAuthorizationToken'] },
    ]);
    for (const role of resourcesOf(dev, 'AWS::IAM::Role')) {
      expect(role.resource.Properties.Policies).toBeUndefined();
    }
  });

  it.each(FUNCTION_NAMES)('lets %s send only to the queues it enqueues to', (name) => {
    const fn = ferryFunction(dev, name);
    const sends = statementsOf(dev).filter(
      ({ role, statement }) => role === roleOf(dev, fn) && actionsOf(statement).includes('sqs:SendMessage'),
    );
    const queues = sends.flatMap(({ statement }) =>
      [statement.Resource].flat().map((r) => referenceOf(dev, fn.stack, r)),
    );
    const expected = (JOB_KINDS as readonly string[]).includes(name)
      ? JOB_KINDS.flatMap((kind) => [`dev-ferry-${kind}.fifo`, `dev-ferry-${kind}-dlq.fifo`])
      : TRIGGER_SENDS.map((kind) => `dev-ferry-${kind}.fifo`);
    expect(queues.sort()).toEqual(expected.map((q) => `Queues/${queueOf(dev, q).id}.Arn`).sort());
  });

  it.each(FUNCTION_NAMES)('lets %s read the depth of every queue and dead-letter queue', (name) => {
    const fn = ferryFunction(dev, name);
    const reads = statementsOf(dev).filter(
      ({ role, statement }) =>
        role === roleOf(dev, fn) && actionsOf(statement).includes('sqs:GetQueueAttributes'),
    );
    const queues = new Set(
      reads.flatMap(({ statement }) => [statement.Resource].flat().map((r) => referenceOf(dev, fn.stack, r))),
    );
    const every = resourcesOf(dev, 'AWS::SQS::Queue').map((q) => `Queues/${q.id}.Arn`);
    expect([...queues].sort()).toEqual(every.sort());
  });

  it.each(FUNCTION_NAMES)('lets %s read the table and the parameters of its own stage only', (name) => {
    const fn = ferryFunction(dev, name);
    const statements = statementsOf(dev)
      .filter(({ role }) => role === roleOf(dev, fn))
      .map(({ statement }) => statement);
    const [table] = resourcesOf(dev, 'AWS::DynamoDB::Table');
    const tableAccess = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('dynamodb:')));
    expect(tableAccess.map((s) => referenceOf(dev, fn.stack, s.Resource))).toEqual([
      `Storage/${table?.id}.Arn`,
    ]);
    const resources = statements.flatMap((s) => [s.Resource].flat().map(flat));
    expect(resources).toContain(`arn:\${AWS::Partition}:ssm:${REGION}:${ACCOUNT}:parameter/ferry/dev/*`);
    expect(resources).toContain(
      `arn:\${AWS::Partition}:secretsmanager:${REGION}:${ACCOUNT}:secret:/ferry/dev/*`,
    );
    const decrypt = statements.find((s) => actionsOf(s).includes('kms:Decrypt')) as Statement & {
      Condition: unknown;
    };
    expect(decrypt.Condition).toEqual({
      StringEquals: {
        'kms:ViaService': [`ssm.${REGION}.amazonaws.com`, `secretsmanager.${REGION}.amazonaws.com`],
      },
    });
  });

  it.each(FUNCTION_NAMES)('gives ECR access to scan-image and EKS access to apply alone (%s)', (name) => {
    const fn = ferryFunction(dev, name);
    const actions = statementsOf(dev)
      .filter(({ role }) => role === roleOf(dev, fn))
      .flatMap(({ statement }) => actionsOf(statement));
    expect(actions.some((a) => a.startsWith('ecr:'))).toBe(name === 'scan-image');
    expect(actions.includes('eks:DescribeCluster')).toBe(name === 'apply');
  });
});

describe('removal', () => {
  it.each([
    { stage: 'prod', templates: () => prod, policy: 'Retain' },
    { stage: 'dev', templates: () => dev, policy: 'Delete' },
  ])('gives every resource of $stage the policy $policy', ({ templates, policy }) => {
    // SST writes its binding parameters (names and URLs under /sst/) after it applied the policy:
    // they go with their stack in every stage, and nothing of ferry reads them.
    const sstBinding = ({ resource }: Located) =>
      resource.Type === 'AWS::SSM::Parameter' && String(resource.Properties.Name).startsWith('/sst/ferry/');
    const resources = resourcesOf(templates()).filter((r) => !sstBinding(r));
    const wrong = resources
      .filter((r) => r.resource.DeletionPolicy !== policy)
      .map((r) => `${r.stack}/${r.id}`);
    expect(wrong).toEqual([]);
    expect(resources.length).toBeGreaterThan(50);
  });

  it('names every stack after its stage', () => {
    for (const template of Object.values(prod)) {
      expect(JSON.stringify(json(template).Outputs?.SSTMetadata)).toContain('"stage\\":\\"prod\\"');
    }
  });
});
