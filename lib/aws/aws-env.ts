/**
 * The environment the stacks give every function (see the AWS contract): the table, the queues of
 * each job kind, the config repository and the parameter prefix. Read once at cold start; a missing
 * or malformed variable is a clear error naming it, before any work is accepted.
 */
import { TerminalError } from '../errors.ts';
import type { JobKind } from '../jobs/job.ts';

export const JOB_KINDS: readonly JobKind[] = ['scan-image', 'update', 'sync-source', 'apply', 'notify'];

export interface AwsEnv {
  stage: string;
  tableName: string;
  /** Queue URLs by the SQS names the queue factory asks for: `<kind>.fifo` and `<kind>-dlq.fifo`. */
  queueUrls: ReadonlyMap<string, string>;
  configUrl: string;
  configBranch: string;
  configPath: string;
  parameterPrefix: string;
}

/** A required variable is missing or malformed. */
export class AwsEnvError extends TerminalError {}

/** `scan-image` → `SCAN_IMAGE`, as the variables spell job kinds. */
export function envKind(kind: JobKind): string {
  return kind.toUpperCase().replace(/-/g, '_');
}

export function readAwsEnv(env: Readonly<Record<string, string | undefined>>): AwsEnv {
  const required = (name: string) => {
    const value = env[name]?.trim();
    if (!value)
      throw new AwsEnvError(`the environment variable ${name} is not set`, { data: { variable: name } });
    return value;
  };
  const queueUrls = new Map<string, string>();
  for (const kind of JOB_KINDS) {
    queueUrls.set(`${kind}.fifo`, required(`FERRY_QUEUE_${envKind(kind)}_URL`));
    queueUrls.set(`${kind}-dlq.fifo`, required(`FERRY_DLQ_${envKind(kind)}_URL`));
  }
  const stage = required('FERRY_STAGE');
  return {
    stage,
    tableName: required('FERRY_TABLE_NAME'),
    queueUrls,
    configUrl: required('FERRY_CONFIG_URL'),
    configBranch: env.FERRY_CONFIG_BRANCH?.trim() || 'main',
    configPath: env.FERRY_CONFIG_PATH?.trim() || '.',
    parameterPrefix: (env.FERRY_PARAMETER_PREFIX?.trim() || `/ferry/${stage}`).replace(/\/+$/, ''),
  };
}
