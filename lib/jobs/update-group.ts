/**
 * The FIFO group of an update job: one per repository and push branch, so that two automations
 * writing to the same branch take turns instead of racing (Flux's lost-update problem), while
 * different repositories or branches update in parallel.
 */
import { createHash } from 'node:crypto';
import type { ConfigSet, ImageUpdateAutomation } from '../config/index.ts';
import type { Job } from './job.ts';

export function pushTarget(automation: ImageUpdateAutomation, config: Pick<ConfigSet, 'get'>) {
  const ref = automation.spec.sourceRef;
  const source = config.get('GitRepository', ref.namespace ?? automation.metadata.namespace, ref.name);
  const checkoutBranch = automation.spec.git.checkout?.ref?.branch ?? source?.spec.ref?.branch ?? 'master';
  const pushBranch = automation.spec.git.push?.branch ?? checkoutBranch;
  return { source, checkoutBranch, pushBranch };
}

export function updateGroup(automation: ImageUpdateAutomation, config: Pick<ConfigSet, 'get'>): string {
  const { source, pushBranch } = pushTarget(automation, config);
  const url = source?.spec.url ?? `${automation.metadata.namespace}/${automation.metadata.name}`;
  return `git/${createHash('sha256').update(`${url}#${pushBranch}`).digest('hex').slice(0, 40)}`;
}

/**
 * The group resolver for a JobEnqueuer: update jobs go to their repository and branch's group,
 * whoever enqueues them (a scan, the schedule, a receiver, `ferry reconcile`).
 */
export function jobGroupResolver(config: () => Pick<ConfigSet, 'get'>): (job: Job) => string | undefined {
  return (job) => {
    if (job.kind !== 'update') return undefined;
    const current = config();
    const automation = current.get('ImageUpdateAutomation', job.automation.namespace, job.automation.name);
    return automation ? updateGroup(automation, current) : undefined;
  };
}
