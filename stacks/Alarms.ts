/**
 * What a person must look at: a job in a dead-letter queue (it failed for good, or its workers kept
 * dying) and a function that threw. Every alarm notifies one SNS topic; FERRY_ALARM_EMAIL, when
 * set, subscribes an address to it (AWS mails a confirmation link first).
 */
import type { CfnAlarmProps } from 'aws-cdk-lib/aws-cloudwatch';
import { CfnAlarm } from 'aws-cdk-lib/aws-cloudwatch';
import { CfnSubscription, CfnTopic } from 'aws-cdk-lib/aws-sns';
import type { StackContext } from 'sst/constructs';
import { use } from 'sst/constructs';
import { Api } from './Api.ts';
import { readDeploySettings } from './deploy-settings.ts';
import { JOB_KINDS } from './ferry-functions.ts';
import { Queues } from './Queues.ts';
import { Schedules } from './Schedules.ts';
import { applyStageRemovalPolicy } from './stage.ts';

type AlarmMetric = Pick<CfnAlarmProps, 'namespace' | 'metricName' | 'statistic' | 'dimensions'>;

/** Five minutes: a standard alarm costs the same at any period of a minute or more, and a dead letter
 * or a failed function needs a person, not a faster page. */
const PERIOD_SECONDS = 300;

export function Alarms({ stack, app }: StackContext) {
  const { queues, workers } = use(Queues);
  const { http } = use(Api);
  const { schedule, ecrPush } = use(Schedules);
  const settings = readDeploySettings(process.env, app.mode !== 'remove');

  const topic = new CfnTopic(stack, 'AlarmTopic', { topicName: app.logicalPrefixedName('alarms') });
  applyStageRemovalPolicy(app.stage, topic);
  if (settings.alarmEmail !== undefined) {
    const subscription = new CfnSubscription(stack, 'AlarmEmail', {
      topicArn: topic.ref,
      protocol: 'email',
      endpoint: settings.alarmEmail,
    });
    applyStageRemovalPolicy(app.stage, subscription);
  }
  const alarm = (id: string, description: string, metric: AlarmMetric): void => {
    const resource = new CfnAlarm(stack, id, {
      alarmName: app.logicalPrefixedName(id),
      alarmDescription: description,
      ...metric,
      period: PERIOD_SECONDS,
      evaluationPeriods: 1,
      threshold: 0,
      comparisonOperator: 'GreaterThanThreshold',
      treatMissingData: 'notBreaching',
      alarmActions: [topic.ref],
    });
    applyStageRemovalPolicy(app.stage, resource);
  };

  for (const kind of JOB_KINDS) {
    alarm(`${kind}-dead-letters`, `ferry: ${kind} jobs are waiting in the dead-letter queue`, {
      namespace: 'AWS/SQS',
      metricName: 'ApproximateNumberOfMessagesVisible',
      statistic: 'Maximum',
      dimensions: [{ name: 'QueueName', value: queues[kind].deadLetters.queueName }],
    });
  }
  const functions = { http, schedule, 'ecr-push': ecrPush, ...workers };
  for (const [name, fn] of Object.entries(functions)) {
    alarm(`${name}-errors`, `ferry: the ${name} function failed`, {
      namespace: 'AWS/Lambda',
      metricName: 'Errors',
      statistic: 'Sum',
      dimensions: [{ name: 'FunctionName', value: fn.functionName }],
    });
  }
  stack.addOutputs({ AlarmTopicArn: topic.ref });
  return { topic };
}
