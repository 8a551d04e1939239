/**
 * `github` (and ferry's `ghcr`): GitHub webhooks. GitHub signs the raw body with the webhook's
 * secret: `X-Hub-Signature-256: sha256=<hex>` (older servers send only `X-Hub-Signature` with
 * `sha1=`; both are accepted, as in Flux). `X-GitHub-Event` names the event, `X-GitHub-Delivery`
 * the delivery, and the Receiver's `events`, when set, lists the events it accepts, as in Flux.
 * Each event has its own entry in one dispatch table: `package` and `registry_package` report a
 * container published to GHCR (`ghcr.io/<owner>/<package>`), `ping` is answered, `push` syncs the
 * GitRepositories that follow the pushed ref (see git-push.ts); any other event is answered and
 * ignored.
 */
import * as z from 'zod';
import { gitPushOutcome, requireListedEvent } from './git-push.ts';
import type { ImageHint } from './image-hints.ts';
import { bodyText, parseJson, parsePayload } from './payload.ts';
import type { ReceiverHandler, ReceiverOutcome, ReceiverRequest } from './receiver-handler.ts';
import { ReceiverPayloadError } from './receiver-handler.ts';
import { registryOutcome } from './registry-outcome.ts';
import { verifyPrefixedHmac } from './verify.ts';

const SENDER = 'github';

/** What one event asks for: its verified payload in, jobs and an answer out. */
export type GitHubEventHandler = (payload: unknown, request: ReceiverRequest) => ReceiverOutcome;

const packageSchema = z.object({
  name: z.string().min(1),
  package_type: z.string(),
  owner: z.object({ login: z.string().min(1) }),
  package_version: z
    .object({
      version: z.string().nullish(),
      tag_name: z.string().nullish(),
      container_metadata: z
        .object({ tag: z.object({ name: z.string().nullish(), digest: z.string().nullish() }).nullish() })
        .nullish(),
    })
    .nullish(),
});

type GitHubPackage = z.output<typeof packageSchema>;

/** The push event: GitHub's `after` of a tag push may be an annotated tag; `head_commit` is the commit. */
const pushEventSchema = z.object({
  ref: z.string().min(1),
  after: z.string(),
  deleted: z.boolean().optional(),
  head_commit: z.object({ id: z.string() }).nullish(),
  repository: z.object({
    clone_url: z.string().nullish(),
    ssh_url: z.string().nullish(),
    git_url: z.string().nullish(),
    html_url: z.string().nullish(),
  }),
});

const packageEventSchema = z.object({ action: z.string(), package: packageSchema });
const registryPackageEventSchema = z.object({ action: z.string(), registry_package: packageSchema });

/** The events ferry acts on, by `X-GitHub-Event`. */
export const GITHUB_EVENTS: Readonly<Record<string, GitHubEventHandler>> = {
  ping: () => ({ jobs: [], message: 'ping answered' }),
  push: (payload, request) => {
    const event = parsePayload(pushEventSchema, payload, SENDER);
    const { clone_url, ssh_url, git_url, html_url } = event.repository;
    const repositoryUrls = [clone_url, ssh_url, git_url, html_url].filter((u): u is string => !!u);
    const sha = event.deleted ? undefined : (event.head_commit?.id ?? event.after);
    return gitPushOutcome(request, [{ repositoryUrls, ref: event.ref, sha }]);
  },
  package: (payload) => {
    const event = parsePayload(packageEventSchema, payload, SENDER);
    return packageOutcome(event.action, event.package);
  },
  registry_package: (payload) => {
    const event = parsePayload(registryPackageEventSchema, payload, SENDER);
    return packageOutcome(event.action, event.registry_package);
  },
};

export const githubReceiver: ReceiverHandler = (request) => {
  const { headers, body, token, receiver } = request;
  const signature = headers.get('x-hub-signature-256') ?? headers.get('x-hub-signature');
  verifyPrefixedHmac(body, token, signature, ['sha256', 'sha1', 'sha512'], SENDER);
  const event = headers.get('x-github-event')?.trim();
  if (!event) {
    throw new ReceiverPayloadError(`${SENDER}: no X-GitHub-Event header`, { data: { sender: SENDER } });
  }
  requireListedEvent(receiver, event, SENDER);
  const payload = githubPayload(body, headers);
  const outcome = Object.hasOwn(GITHUB_EVENTS, event)
    ? GITHUB_EVENTS[event]!(payload, request)
    : { jobs: [], message: `${event} events are ignored` };
  const deliveryId = headers.get('x-github-delivery')?.trim();
  return deliveryId ? { ...outcome, deliveryId } : outcome;
};

/** GitHub posts JSON, or a form whose `payload` field holds it, as the webhook is configured. */
function githubPayload(body: Uint8Array, headers: Headers): unknown {
  const text = bodyText(body, SENDER);
  const form = headers.get('content-type')?.toLowerCase().startsWith('application/x-www-form-urlencoded');
  if (!form) return parseJson(text, SENDER);
  const payload = new URLSearchParams(text).get('payload');
  if (payload === null) {
    throw new ReceiverPayloadError(`${SENDER}: the form has no payload field`, { data: { sender: SENDER } });
  }
  return parseJson(payload, SENDER);
}

/** A published container version with a tag is a hint; everything else is said and ignored. */
function packageOutcome(action: string, pkg: GitHubPackage): ReceiverOutcome {
  const image = `ghcr.io/${pkg.owner.login}/${pkg.name}`.toLowerCase();
  const ignore = (what: string) => registryOutcome(SENDER, { hints: [], ignored: [what] });
  if (action !== 'published') return ignore(`${action} package ${pkg.name}`);
  if (pkg.package_type.toLowerCase() !== 'container')
    return ignore(`${pkg.package_type} package ${pkg.name}`);
  const version = pkg.package_version;
  const tagged = version?.container_metadata?.tag;
  const tag = [tagged?.name, version?.tag_name, version?.version].find((t) => t && !t.includes(':'));
  if (!tag) return ignore(`untagged version of ${image}`);
  const digest = tagged?.digest || (version?.version?.includes(':') ? version.version : undefined);
  const hint: ImageHint = { image, tag, ...(digest ? { digest } : {}) };
  return registryOutcome(SENDER, { hints: [hint], ignored: [] });
}
