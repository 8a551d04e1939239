/**
 * The environment every ferry function reads (the contract with functions/): where state and
 * queues are, which config repository to follow, and where its secrets live.
 */
import type { JobKind } from '../lib/jobs/job.ts';
import type { DeploySettings } from './deploy-settings.ts';
import { envKindOf } from './ferry-functions.ts';

export interface QueueUrls {
  url: string;
  deadLetterUrl: string;
}

export interface FerryEnvironmentInput {
  stage: string;
  tableName: string;
  queues: Readonly<Record<JobKind, QueueUrls>>;
  settings: DeploySettings;
}

/** Secrets, the config repository's credentials and the API token sit under this SSM path. */
export function parameterPrefixOf(stage: string): string {
  return `/ferry/${stage}`;
}

export function ferryEnvironment(input: FerryEnvironmentInput): Record<string, string> {
  const environment: Record<string, string> = {
    FERRY_STAGE: input.stage,
    FERRY_TABLE_NAME: input.tableName,
    FERRY_CONFIG_URL: input.settings.configUrl,
    FERRY_CONFIG_BRANCH: input.settings.configBranch,
    FERRY_CONFIG_PATH: input.settings.configPath,
    FERRY_PARAMETER_PREFIX: parameterPrefixOf(input.stage),
  };
  for (const [kind, urls] of Object.entries(input.queues) as [JobKind, QueueUrls][]) {
    environment[`FERRY_QUEUE_${envKindOf(kind)}_URL`] = urls.url;
    environment[`FERRY_DLQ_${envKindOf(kind)}_URL`] = urls.deadLetterUrl;
  }
  return environment;
}
