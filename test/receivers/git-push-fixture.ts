import { stringify } from 'yaml';
import { loadConfigFiles } from '../../lib/config/index.ts';
import type { ReceiverOutcome, ReceiverRequest } from '../../lib/receivers/index.ts';
import { TOKEN } from './receiver-fixture.ts';

export interface RepositoryFixture {
  url: string;
  ref?: { branch?: string; tag?: string; semver?: string; name?: string; commit?: string };
  labels?: Record<string, string>;
  namespace?: string;
}

export interface GitPushFixtureOptions {
  /** The GitRepositories of the config, by name. */
  repositories: Record<string, RepositoryFixture>;
  /** The Receiver's resources; every GitRepository of its namespace (`*`) unless given. */
  resources?: { kind: string; name: string; namespace?: string; matchLabels?: Record<string, string> }[];
  events?: string[];
}

/**
 * A config with one Receiver of `type` (named `hook`) over GitRepositories, loaded through the real
 * loader; `request` builds what the HTTP layer hands a handler.
 */
export function gitPushFixture(type: string, options: GitPushFixtureOptions) {
  const repositories = Object.entries(options.repositories).map(([name, r]) => ({
    apiVersion: 'source.toolkit.fluxcd.io/v1',
    kind: 'GitRepository',
    metadata: { name, ...(r.namespace ? { namespace: r.namespace } : {}), labels: r.labels ?? {} },
    spec: { url: r.url, interval: '5m', ...(r.ref ? { ref: r.ref } : {}) },
  }));
  const documents = [
    ...repositories,
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'hook-token' }, stringData: { token: TOKEN } },
    {
      apiVersion: 'notification.toolkit.fluxcd.io/v1',
      kind: 'Receiver',
      metadata: { name: 'hook' },
      spec: {
        type,
        ...(options.events ? { events: options.events } : {}),
        secretRef: { name: 'hook-token' },
        resources: options.resources ?? [{ kind: 'GitRepository', name: '*' }],
      },
    },
  ];
  const content = documents.map((d) => stringify(d)).join('---\n');
  const config = loadConfigFiles([{ path: 'receiver.yaml', content }]);
  const receiver = config.get('Receiver', 'flux-system', 'hook');
  if (!receiver) throw new Error('the fixture Receiver did not load');
  return {
    config,
    receiver,
    request(body: string | Uint8Array, headers: Record<string, string> = {}): ReceiverRequest {
      const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
      return { receiver, token: TOKEN, headers: new Headers(headers), body: bytes, config };
    },
  };
}

/** The sync jobs of an outcome as `namespace/name revision`, sorted. */
export function syncs(outcome: ReceiverOutcome): string[] {
  return outcome.jobs
    .map((job) =>
      job.kind === 'sync-source'
        ? `${job.gitRepository.namespace}/${job.gitRepository.name} ${job.revision ?? '(no hint)'}`
        : job.kind,
    )
    .sort();
}
