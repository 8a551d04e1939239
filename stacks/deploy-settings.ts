/**
 * What a deployment is told from outside: the config repository and the operator's choices, read
 * from the environment of `sst deploy` (a `.env.<stage>` file beside sst.config.ts works too: SST
 * loads it). Kept out of the code so one checkout deploys any number of stages.
 */
import { TerminalError } from '../lib/errors.ts';

export interface DeploySettings {
  /** The config repository's clone URL (FERRY_CONFIG_URL). */
  configUrl: string;
  /** Its branch (FERRY_CONFIG_BRANCH, default `main`). */
  configBranch: string;
  /** The directory of Flux objects in it (FERRY_CONFIG_PATH, default `.`). */
  configPath: string;
  /** SQS's redrive threshold for every job queue (FERRY_MAX_RECEIVE_COUNT, default 10). */
  maxReceiveCount: number;
  /** Where alarms are mailed (FERRY_ALARM_EMAIL); without it the topic has no subscriber. */
  alarmEmail: string | undefined;
}

/**
 * Above the workers' own maxReceives (5): a worker dead-letters a failing job itself, with its
 * reason, and a delayed job's deferral costs one receive, so SQS's redrive is only the safety net
 * for a job whose consumers keep dying.
 */
export const DEFAULT_MAX_RECEIVE_COUNT = 10;

/** A deploy-time variable is missing or malformed; deploying again cannot help until it is set. */
export class DeploySettingsError extends TerminalError {
  constructor(variable: string, message: string) {
    super(`${variable}: ${message}`, { data: { variable } });
  }
}

/**
 * Reads the settings. `requireConfigUrl` is false for `sst remove`, which builds the stacks only to
 * find what to delete and must not need the repository.
 */
export function readDeploySettings(
  env: Readonly<Record<string, string | undefined>>,
  requireConfigUrl = true,
): DeploySettings {
  const configUrl = env.FERRY_CONFIG_URL?.trim() ?? '';
  if (configUrl === '' && requireConfigUrl) {
    throw new DeploySettingsError('FERRY_CONFIG_URL', 'set it to the config repository to deploy');
  }
  return {
    configUrl,
    configBranch: nonEmpty(env.FERRY_CONFIG_BRANCH) ?? 'main',
    configPath: nonEmpty(env.FERRY_CONFIG_PATH) ?? '.',
    maxReceiveCount: receiveCount(env.FERRY_MAX_RECEIVE_COUNT),
    alarmEmail: nonEmpty(env.FERRY_ALARM_EMAIL),
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

/** SQS accepts 1 to 1,000. */
function receiveCount(value: string | undefined): number {
  const text = nonEmpty(value);
  if (text === undefined) return DEFAULT_MAX_RECEIVE_COUNT;
  const count = Number(text);
  if (!Number.isInteger(count) || count < 1 || count > 1000) {
    throw new DeploySettingsError(
      'FERRY_MAX_RECEIVE_COUNT',
      `expected a whole number from 1 to 1000, got "${text}"`,
    );
  }
  return count;
}
