/**
 * The update job of an ImageUpdateAutomation: the latest image of every policy in scope and every
 * v1 automated workload, written into the files under `update.path` at the branch head, committed
 * and pushed (re-applied on the new head if someone pushed in between), then a sync of the source.
 * No commit when nothing changed.
 */
import type { ImageUpdateAutomation } from '../config/index.ts';
import { objectKey, parseDuration } from '../config/index.ts';
import { TerminalError } from '../errors.ts';
import { commitWithRetry } from '../git/index.ts';
import type { RegistryClient } from '../registry/index.ts';
import { COMMIT_TEMPLATE_NAME, DEFAULT_COMMIT_TEMPLATE, parseTemplate } from '../template/index.ts';
import type { LatestImage, UpdateResult } from '../update/index.ts';
import {
  commitTemplateData,
  findV1Workloads,
  isEmptyResult,
  isManifestPath,
  updateFiles,
} from '../update/index.ts';
import { policiesOf } from './automation-scope.ts';
import type { LatestRef } from './image-policies.ts';
import type { JobContext, JobHandler } from './run-job.ts';
import { openSourceRepository } from './source-repository.ts';
import type { ObjectStatus } from './status.ts';
import { pushTarget } from './update-group.ts';
import { resolveV1Targets } from './v1-images.ts';

/** Set to "true" on an ImageUpdateAutomation to end its commit messages with `[ci skip]`. */
export const CI_SKIP_ANNOTATION = 'ferry.dev/ci-skip';

export interface UpdateServices {
  registry: RegistryClient;
  /** Where git object caches live (under the state directory, or /tmp in Lambda). */
  gitCacheDir: string;
}

export function updateHandler(services: UpdateServices): JobHandler<'update'> {
  return async (job, ctx) => {
    const config = ctx.config();
    const automation = config.get('ImageUpdateAutomation', job.automation.namespace, job.automation.name);
    if (!automation) return undefined;
    const key = objectKey(automation);
    const watcherName = `${automation.metadata.namespace}/${automation.metadata.name}`;
    refuseUnsupported(automation);
    const { source, checkoutBranch, pushBranch } = pushTarget(automation, config);
    if (!source)
      throw new TerminalError(`${key}: its GitRepository does not exist`, {
        data: { reason: 'SourceNotFound' },
      });

    const repo = await openSourceRepository(source, config, services.gitCacheDir, ctx.log);
    const policies = await latestImages(automation, ctx);
    const template = parseTemplate(
      automation.spec.git.commit.messageTemplate || DEFAULT_COMMIT_TEMPLATE,
      COMMIT_TEMPLATE_NAME,
    );
    const author = {
      name: automation.spec.git.commit.author.name ?? '',
      email: automation.spec.git.commit.author.email,
    };

    let result: UpdateResult | undefined;
    const outcome = await commitWithRetry({
      repo,
      checkoutBranch,
      pushBranch,
      refspec: automation.spec.git.push?.refspec,
      author: { ...author, timestamp: Math.floor(ctx.now().getTime() / 1000) },
      log: ctx.log,
      update: async (head) => {
        const files = await head.readFiles(automation.spec.update.path, isManifestPath);
        const rescanAfterMs = parseDuration(automation.spec.interval);
        const targets = findV1Workloads(files);
        const v1 = await resolveV1Targets(targets, watcherName, services.registry, ctx, rescanAfterMs);
        const update = updateFiles(files, { policies, v1: v1.references });
        result = update.result;
        if (isEmptyResult(update.result)) return undefined;
        const values = automation.spec.git.commit.messageTemplateValues ?? {};
        const rendered = template.render(commitTemplateData(automation.metadata, update.result, values));
        const message =
          automation.metadata.annotations[CI_SKIP_ANNOTATION] === 'true'
            ? `${rendered.trimEnd()}\n\n[ci skip]`
            : rendered;
        return { changes: update.changed, message };
      },
    });

    const now = ctx.now().toISOString();
    const observedPolicies = Object.fromEntries([...policies].map(([name, ref]) => [name, ref]));
    if (!outcome.commit) {
      return { message: 'no updates made', status: { lastAutomationRunTime: now, observedPolicies } };
    }
    const revision = `${pushBranch}@sha1:${outcome.commit}`;
    const involved = {
      kind: 'ImageUpdateAutomation',
      namespace: automation.metadata.namespace,
      name: automation.metadata.name,
    };
    const changes = result?.changes.map((c) => `${c.oldValue} -> ${c.newValue}`).join('\n') ?? '';
    await ctx.events.publish(
      ctx.events.event(
        involved,
        'info',
        'Succeeded',
        `pushed commit '${outcome.commit.slice(0, 7)}' to branch '${pushBranch}'\n${changes}`,
        {
          commit_sha: outcome.commit,
          revision,
        },
      ),
    );
    const ref = automation.spec.sourceRef;
    await ctx.enqueuer.enqueue(
      {
        kind: 'sync-source',
        gitRepository: { namespace: ref.namespace ?? automation.metadata.namespace, name: ref.name },
        revision,
      },
      { salt: outcome.commit },
    );
    return {
      message: `pushed commit '${outcome.commit.slice(0, 7)}' to branch '${pushBranch}'`,
      status: {
        lastAutomationRunTime: now,
        lastPushCommit: outcome.commit,
        lastPushTime: now,
        observedPolicies,
      },
    };
  };
}

/** Fields Flux honours that ferry does not: refusing them beats pushing something other than asked. */
function refuseUnsupported(automation: ImageUpdateAutomation): void {
  const key = objectKey(automation);
  if (automation.spec.git.commit.signingKey) {
    throw new TerminalError(
      `${key}: spec.git.commit.signingKey: commit signing is not supported by ferry yet`,
      {
        data: { reason: 'NotSupported', field: 'spec.git.commit.signingKey' },
      },
    );
  }
  if (automation.spec.git.push?.options && Object.keys(automation.spec.git.push.options).length > 0) {
    throw new TerminalError(`${key}: spec.git.push.options: push options are not supported by ferry yet`, {
      data: { reason: 'NotSupported', field: 'spec.git.push.options' },
    });
  }
}

/** The latest image each policy in scope resolved to, keyed `namespace:name` as setter markers name them. */
async function latestImages(
  automation: ImageUpdateAutomation,
  ctx: JobContext,
): Promise<Map<string, LatestImage>> {
  const latest = new Map<string, LatestImage>();
  for (const policy of policiesOf(automation, ctx.config())) {
    const { namespace, name } = policy.metadata;
    const status = (await ctx.status.read({ kind: 'ImagePolicy', namespace, name })) as
      | (ObjectStatus & { latestRef?: LatestRef })
      | undefined;
    const ref = status?.latestRef;
    if (ref)
      latest.set(`${namespace}:${name}`, {
        image: ref.name,
        tag: ref.tag,
        ...(ref.digest ? { digest: ref.digest } : {}),
      });
  }
  return latest;
}
