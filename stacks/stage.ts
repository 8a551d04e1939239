/**
 * Which stages hold real state. `prod`, `production` and any `prod-…` stage (say `prod-eu`) keep
 * their table with deletion protection and retain every resource on removal; every other stage (a
 * person's own, `dev`, `staging`, a pull request's) is disposable and removed whole.
 */
import type { CfnResource } from 'aws-cdk-lib';
import { RemovalPolicy } from 'aws-cdk-lib';

const PRODUCTION_STAGE = /^(prod|production)(-.+)?$/;

export function isProductionStage(stage: string): boolean {
  return PRODUCTION_STAGE.test(stage);
}

/** The removal policy sst.config.ts sets for the whole app, in SST's words. */
export function removalPolicyOf(stage: string): 'retain' | 'destroy' {
  return isProductionStage(stage) ? 'retain' : 'destroy';
}

/**
 * SST applies the app's removal policy only to resources of the CDK copy it bundles; the L1
 * resources the stacks make themselves get the same policy here.
 */
export function applyStageRemovalPolicy(stage: string, ...resources: CfnResource[]): void {
  const policy = isProductionStage(stage) ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
  for (const resource of resources) resource.applyRemovalPolicy(policy);
}
