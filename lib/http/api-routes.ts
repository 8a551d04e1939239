/**
 * /api/v1: what `ferry get`, `ferry events` and `ferry reconcile` do on the state directory, over
 * HTTP, for a ferry whose state is out of reach of the command (on AWS). The answers are the JSON
 * those commands print; reconcile takes the object from the config in force, so a request never
 * names an object ferry does not run. Mounted behind apiAuth (api-auth.ts).
 */
import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { eventFilter, readEvents } from '../cli/events.ts';
import { getObjects } from '../cli/get.ts';
import { resolveKind, UnknownKindError } from '../cli/kinds.ts';
import type { ConfigSet, FluxKind } from '../config/index.ts';
import { DEFAULT_NAMESPACE } from '../config/index.ts';
import type { JobEnqueuer } from '../jobs/enqueuer.ts';
import { jobForObject } from '../jobs/targets.ts';
import type { StateStore } from '../state/state-store.ts';

/** The kinds that have a job of their own, which is what a reconcile request enqueues. */
export const RECONCILABLE_KINDS: readonly FluxKind[] = [
  'GitRepository',
  'Kustomization',
  'ImageRepository',
  'ImagePolicy',
  'ImageUpdateAutomation',
];

/** Events answered when the request names no limit, and the most it may ask for. */
export const DEFAULT_EVENT_LIMIT = 100;
export const MAX_EVENT_LIMIT = 1000;

export interface ApiDeps {
  current: () => { config: ConfigSet } | undefined;
  state: StateStore;
  enqueuer: JobEnqueuer;
}

export function apiRoutes(deps: ApiDeps): Hono {
  const api = new Hono();

  api.get('/objects', async (c) => {
    const { kind, namespace, name } = c.req.query();
    // As `ferry get`: a name without a namespace is looked for in the default namespace.
    const scope = namespace ?? (name ? DEFAULT_NAMESPACE : undefined);
    const rows = await badKindIs400(() =>
      getObjects(deps.state, {
        kind: kind ?? 'all',
        output: 'json',
        ...(name ? { name } : {}),
        ...(scope ? { namespace: scope } : {}),
      }),
    );
    return c.json(rows);
  });

  api.get('/events', async (c) => {
    const { for: about, namespace, limit: limitText } = c.req.query();
    const limit = limitText === undefined ? DEFAULT_EVENT_LIMIT : Number(limitText);
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_EVENT_LIMIT)
      throw new HTTPException(400, {
        message: `limit must be a whole number from 1 to ${MAX_EVENT_LIMIT}; got "${limitText}"`,
      });
    if (about !== undefined && !/^[^/]+(\/[^/]+)?$/.test(about))
      throw new HTTPException(400, {
        message: `for must be KIND or KIND/NAME, e.g. ks/apps; got "${about}"`,
      });
    // As `ferry events`: an object named without a namespace is looked for in the default namespace.
    const scope = namespace ?? (about?.includes('/') ? DEFAULT_NAMESPACE : undefined);
    const options = {
      limit,
      output: 'json' as const,
      ...(about ? { for: about } : {}),
      ...(scope ? { namespace: scope } : {}),
    };
    await badKindIs400(async () => eventFilter(options));
    return c.json(await readEvents(deps.state, options));
  });

  api.post('/reconcile/:kind/:namespace/:name', async (c) => {
    const { kind: kindText, namespace, name } = c.req.param();
    const kind = reconcilableKind(kindText);
    const loaded = deps.current();
    if (!loaded) throw new HTTPException(503, { message: 'the config is not loaded yet; see /readyz' });
    const { config } = loaded;
    const object = config.get(kind, namespace, name);
    if (!object)
      throw new HTTPException(404, {
        message: `${kind} ${namespace}/${name} is not in the config ferry serves`,
      });
    const job = jobForObject(object, config);
    if (!job)
      throw new HTTPException(404, {
        message: `${kind} ${namespace}/${name} refers to an ImageRepository that is not in the config`,
      });
    // The runtime's enqueuer groups the job by the same config (an update job by repository and branch).
    const { id } = await deps.enqueuer.enqueue(job, { salt: `reconcile:${randomUUID()}` });
    return c.json({ id, job }, 202);
  });

  return api;
}

function reconcilableKind(input: string): FluxKind {
  const supported = `one of: ${RECONCILABLE_KINDS.join(', ')} (or plural, or ks, gitrepo, imagerepo, imageupdate)`;
  let kind: FluxKind;
  try {
    kind = resolveKind(input);
  } catch (error) {
    if (error instanceof UnknownKindError)
      throw new HTTPException(400, { message: `unknown kind "${input}"; ${supported}` });
    throw error;
  }
  if (!RECONCILABLE_KINDS.includes(kind))
    throw new HTTPException(400, { message: `${kind} has no reconcile job of its own; ${supported}` });
  return kind;
}

async function badKindIs400<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof UnknownKindError) throw new HTTPException(400, { message: error.message });
    throw error;
  }
}
