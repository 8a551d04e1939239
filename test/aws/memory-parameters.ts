import type { ParameterSource } from '../../lib/aws/parameter-source.ts';

/**
 * The parameter store as a map, standing in for SSM Parameter Store and Secrets Manager, which
 * cannot run here. `reads` records every name asked for, to see the cache work.
 */
export class MemoryParameters implements ParameterSource {
  readonly values = new Map<string, string>();
  reads: string[] = [];

  async get(name: string): Promise<string | undefined> {
    this.reads.push(name);
    return this.values.get(name);
  }
}
