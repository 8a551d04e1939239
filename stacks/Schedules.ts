/**
 * The two EventBridge triggers: the per-minute schedule (objects whose interval elapsed get their
 * job: the polling fallback and drift correction) and the ECR push rule, delivered to its function
 * straight from the account's default event bus, so ECR needs no webhook.
 */
import { CfnRule } from 'aws-cdk-lib/aws-events';
import { CfnPermission } from 'aws-cdk-lib/aws-lambda';
import type { StackContext } from 'sst/constructs';
import { Cron, use } from 'sst/constructs';
import { Queues } from './Queues.ts';
import { Storage } from './Storage.ts';
import { applyStageRemovalPolicy } from './stage.ts';
import { triggerFunction } from './trigger-function.ts';

export const SCHEDULE_EXPRESSION = 'rate(1 minute)';

/** A successful push of an image to any ECR repository of the account, in this region. */
export const ECR_PUSH_PATTERN = {
  source: ['aws.ecr'],
  'detail-type': ['ECR Image Action'],
  detail: { 'action-type': ['PUSH'], result: ['SUCCESS'] },
};

export function Schedules({ stack, app }: StackContext) {
  const { table } = use(Storage);
  const { queues, environment } = use(Queues);
  const deps = { table, queues, environment };

  const schedule = triggerFunction(stack, app, 'schedule', deps);
  new Cron(stack, 'every-minute', { schedule: SCHEDULE_EXPRESSION, job: schedule });

  const ecrPush = triggerFunction(stack, app, 'ecr-push', deps);
  const rule = new CfnRule(stack, 'EcrPushRule', {
    description: 'ferry: a successful ECR image push becomes a scan of that image',
    eventPattern: ECR_PUSH_PATTERN,
    targets: [{ id: 'ecr-push', arn: ecrPush.functionArn }],
  });
  const invoke = new CfnPermission(stack, 'EcrPushInvoke', {
    action: 'lambda:InvokeFunction',
    functionName: ecrPush.functionArn,
    principal: 'events.amazonaws.com',
    sourceArn: rule.attrArn,
  });
  applyStageRemovalPolicy(app.stage, rule, invoke);

  return { schedule, ecrPush };
}
