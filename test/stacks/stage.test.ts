import { describe, expect, it } from 'vitest';
import { isProductionStage, removalPolicyOf } from '../../stacks/stage.ts';

describe('production stages', () => {
  it.each([
    { stage: 'prod', production: true },
    { stage: 'production', production: true },
    { stage: 'prod-eu', production: true },
    { stage: 'dev', production: false },
    { stage: 'staging', production: false },
    { stage: 'alice', production: false },
    { stage: 'product', production: false },
    { stage: 'preprod', production: false },
    { stage: 'prod-', production: false },
  ])('$stage is production: $production', ({ stage, production }) => {
    expect(isProductionStage(stage)).toBe(production);
    expect(removalPolicyOf(stage)).toBe(production ? 'retain' : 'destroy');
  });
});
