/**
 * The handler for every job kind, built from the services both runtimes provide. `ferry serve` and
 * the AWS workers take their handlers from here, so the two run the same work.
 */
import { applyHandler } from '../jobs/apply.ts';
import type { ClusterConnections } from '../jobs/cluster-connections.ts';
import { imageAutomationHandlers } from '../jobs/image-handlers.ts';
import { notifyHandler } from '../jobs/notify.ts';
import type { JobHandlers } from '../jobs/run-job.ts';
import { syncSourceHandler } from '../jobs/sync-source.ts';
import type { RegistryClient } from '../registry/index.ts';

export interface JobServices {
  registry: RegistryClient;
  /** Where git object caches live; a function's /tmp on AWS. */
  gitCacheDir: string;
  clusters: ClusterConnections;
  /** `--sync-tag`: the git tag moved to each revision applied. */
  syncTag?: string | undefined;
}

export function defaultJobHandlers(services: JobServices): JobHandlers {
  const { registry, gitCacheDir, clusters, syncTag } = services;
  return {
    ...imageAutomationHandlers({ registry, gitCacheDir }),
    'sync-source': syncSourceHandler({ gitCacheDir }),
    apply: applyHandler({ gitCacheDir, clusters, syncTag }),
    notify: notifyHandler(),
  };
}
