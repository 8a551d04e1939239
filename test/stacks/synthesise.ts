/**
 * Synthesises the whole app offline, as `sst deploy` would before it talks to AWS: SST's documented
 * test path (initProject, a deploy-mode App, getStack, Template.fromStack). With NODE_ENV=test SST
 * looks up no bootstrap stack, and the account is a fixed fake one, so nothing asks for credentials
 * or the network (SST still runs `npm install` in each bundle's folder: with nothing to install, it
 * reaches no registry).
 *
 * With `bundle`, every function is really bundled (SST's esbuild, several seconds each): SST sets a
 * function's runtime only after its build succeeded. Without it, every stack is synthesised as one
 * a deploy skips (SST's `isActiveStack`): the same resources and policies, placeholder code.
 */
import type { Stack as CdkStack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { App, getStack } from 'sst/constructs';
import { initProject } from 'sst/project.js';
import config from '../../sst.config.ts';
import { Alarms } from '../../stacks/Alarms.ts';
import { Api } from '../../stacks/Api.ts';
import { Queues } from '../../stacks/Queues.ts';
import { Schedules } from '../../stacks/Schedules.ts';
import { Storage } from '../../stacks/Storage.ts';

export const ACCOUNT = '123456789012';
export const REGION = 'eu-west-1';

export const STACKS = { Storage, Queues, Api, Schedules, Alarms };
export type StackName = keyof typeof STACKS;
export type Templates = Record<StackName, Template>;

/** The deploy-time settings the synthesis runs with. */
export const DEPLOY_ENV = {
  FERRY_CONFIG_URL: 'https://git.example.com/platform/fleet.git',
  FERRY_CONFIG_BRANCH: 'live',
  FERRY_CONFIG_PATH: 'clusters/prod',
  FERRY_ALARM_EMAIL: 'oncall@example.com',
};

export interface SynthesiseOptions {
  env?: Record<string, string>;
  bundle?: boolean;
}

export async function synthesise(stage: string, options: SynthesiseOptions = {}): Promise<Templates> {
  const { env = DEPLOY_ENV, bundle = true } = options;
  const saved = { ...process.env };
  // SST skips its bootstrap lookup (an AWS call) only under NODE_ENV=test, which vitest sets.
  Object.assign(process.env, { ...env, NODE_ENV: 'test' });
  try {
    await initProject({ stage, region: REGION });
    const app = new App({
      mode: 'deploy',
      name: 'ferry',
      stage,
      region: REGION,
      account: ACCOUNT,
      ...(bundle ? {} : { isActiveStack: () => false }),
    });
    await config.stacks(app);
    await app.finish();
    const templates = {} as Templates;
    for (const [name, stack] of Object.entries(STACKS) as [StackName, (typeof STACKS)[StackName]][]) {
      // SST builds its stacks with the CDK copy it ships; Template reads any stack's synthesis.
      templates[name] = Template.fromStack(getStack(stack) as unknown as CdkStack);
    }
    return templates;
  } finally {
    for (const key of [...Object.keys(env), 'NODE_ENV']) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
  }
}
