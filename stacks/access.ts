/**
 * Least privilege, written out: every function gets one inline policy naming exactly the table,
 * queues, parameters and services it uses, by ARN. Plain IAM JSON rather than CDK grants, so the
 * statements read the same here, in the template and in the tests.
 */
import { CfnPolicy } from 'aws-cdk-lib/aws-iam';
import type { Function as SstFunction } from 'sst/constructs';
import { Stack } from 'sst/constructs';
import { applyStageRemovalPolicy } from './stage.ts';

export interface PolicyStatementJson {
  Effect: 'Allow';
  Action: string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

/** The calls the DynamoDB state store makes (lib/state/dynamodb-state-store.ts, chunk-store.ts). */
export function tableStatement(tableArn: string): PolicyStatementJson {
  return {
    Effect: 'Allow',
    Action: [
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:DeleteItem',
      'dynamodb:Query',
      'dynamodb:BatchWriteItem',
    ],
    Resource: tableArn,
  };
}

/** Enqueueing (workers also dead-letter this way). */
export function sendStatement(queueArns: string[]): PolicyStatementJson {
  return { Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: queueArns };
}

/** Queue depths, dead letters included: `/readyz`, the metrics and the workers' stats read them. */
export function queueDepthStatement(queueArns: string[]): PolicyStatementJson {
  return { Effect: 'Allow', Action: ['sqs:GetQueueAttributes'], Resource: queueArns };
}

/**
 * Secrets of the Flux objects, the config repository's credentials and the API token live under
 * `/ferry/<stage>/` in Parameter Store (SecureString) or Secrets Manager; decrypting is allowed only
 * through those two services.
 */
export function parameterStatements(stack: Stack, stage: string): PolicyStatementJson[] {
  const { region } = stack;
  return [
    {
      Effect: 'Allow',
      Action: ['ssm:GetParameter', 'ssm:GetParameters', 'ssm:GetParametersByPath'],
      Resource: stack.formatArn({ service: 'ssm', resource: 'parameter', resourceName: `ferry/${stage}/*` }),
    },
    {
      Effect: 'Allow',
      Action: ['secretsmanager:GetSecretValue'],
      Resource: `arn:${stack.partition}:secretsmanager:${region}:${stack.account}:secret:/ferry/${stage}/*`,
    },
    {
      Effect: 'Allow',
      Action: ['kms:Decrypt'],
      Resource: stack.formatArn({ service: 'kms', resource: 'key', resourceName: '*' }),
      Condition: {
        StringEquals: {
          'kms:ViaService': [`ssm.${region}.amazonaws.com`, `secretsmanager.${region}.amazonaws.com`],
        },
      },
    },
  ];
}

/**
 * Reading ECR repositories of this account, in any region (an ImageRepository may name another
 * region's registry). GetAuthorizationToken names no resource: AWS accepts only `*` there.
 */
export function ecrStatements(stack: Stack): PolicyStatementJson[] {
  return [
    {
      Effect: 'Allow',
      Action: ['ecr:DescribeImages', 'ecr:ListImages', 'ecr:BatchGetImage'],
      Resource: stack.formatArn({ service: 'ecr', region: '*', resource: 'repository', resourceName: '*' }),
    },
    { Effect: 'Allow', Action: ['ecr:GetAuthorizationToken'], Resource: '*' },
  ];
}

/** The apply worker finds an EKS cluster's endpoint and CA; its token is a presigned STS call. */
export function eksStatement(stack: Stack): PolicyStatementJson {
  return {
    Effect: 'Allow',
    Action: ['eks:DescribeCluster'],
    Resource: stack.formatArn({ service: 'eks', resource: 'cluster', resourceName: '*' }),
  };
}

/**
 * Attaches the statements to the function's role as one inline policy. The Lambda function waits
 * for it (the role does not: the policy names the role), so no invocation meets a role without it.
 */
export function grantAccess(fn: SstFunction, statements: PolicyStatementJson[]): CfnPolicy {
  const role = fn.role;
  const lambda = fn.node.defaultChild;
  if (role === undefined || lambda === undefined) throw new Error(`function ${fn.node.path} has no role`);
  const policy = new CfnPolicy(fn.node.scope ?? fn, `${fn.node.id}Access`, {
    policyName: 'ferry-access',
    roles: [role.roleName],
    policyDocument: { Version: '2012-10-17', Statement: statements },
  });
  lambda.node.addDependency(policy);
  applyStageRemovalPolicy((Stack.of(fn) as Stack).stage, policy);
  return policy;
}
