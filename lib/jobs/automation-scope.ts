/**
 * Which ImagePolicies an ImageUpdateAutomation applies (those of its namespace its policySelector
 * matches, as Flux does) and, the other way round, which automations a changed policy concerns.
 */
import type { ConfigSet, ImagePolicy, ImageUpdateAutomation } from '../config/index.ts';
import { isSuspended, matchesSelector } from '../config/index.ts';

export function policiesOf(automation: ImageUpdateAutomation, config: ConfigSet): ImagePolicy[] {
  return config
    .list('ImagePolicy')
    .filter(
      (p) =>
        p.metadata.namespace === automation.metadata.namespace &&
        matchesSelector(p.metadata.labels, automation.spec.policySelector),
    );
}

export function automationsOf(policies: readonly ImagePolicy[], config: ConfigSet): ImageUpdateAutomation[] {
  return config
    .list('ImageUpdateAutomation')
    .filter(
      (a) =>
        !isSuspended(a) &&
        policies.some(
          (p) =>
            p.metadata.namespace === a.metadata.namespace &&
            matchesSelector(p.metadata.labels, a.spec.policySelector),
        ),
    );
}
