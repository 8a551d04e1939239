/**
 * The HTTP surface of ferry, the same app behind `ferry serve` and API Gateway: health, readiness,
 * Prometheus metrics, webhook receivers, and the token-gated API under /api/v1. Tested with
 * `app.request()`.
 */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { requestId } from 'hono/request-id';
import type { ConfigSet } from '../config/index.ts';
import type { JobEnqueuer } from '../jobs/enqueuer.ts';
import type { Logger } from '../observe/logger.ts';
import type { Metrics } from '../observe/metrics.ts';
import type { ReceiverHandler } from '../receivers/receiver-handler.ts';
import type { ReceiverIndex } from '../receivers/receiver-index.ts';
import type { StateStore } from '../state/state-store.ts';
import type { ApiTokenSource } from './api-auth.ts';
import { apiAuth } from './api-auth.ts';
import { apiRoutes } from './api-routes.ts';
import { hookRoute } from './hook-route.ts';
import { requestLog } from './request-log.ts';

/** Larger than any push or registry event we know of (GitHub caps its payloads at 25 MB but sends
 * far less for a push); beyond it the request is refused before it is read into memory. */
export const MAX_BODY_BYTES = 3 * 1024 * 1024;

export interface AppDeps {
  /** The config in force and its receivers; undefined until the first load succeeded. */
  current: () => { config: ConfigSet; receivers: ReceiverIndex } | undefined;
  state: StateStore;
  enqueuer: JobEnqueuer;
  metrics: Metrics;
  log: Logger;
  receiverHandlers: Readonly<Record<string, ReceiverHandler>>;
  /** The bearer token /api requires; without one (or when it answers undefined) /api is closed. */
  apiToken?: ApiTokenSource;
}

export function createApp(deps: AppDeps): Hono {
  const app = new Hono();
  app.use(requestId());
  app.use(requestLog(deps.log));

  app.get('/healthz', (c) => c.json({ status: 'ok' }));

  app.get('/readyz', async (c) => {
    const checks: Record<string, string> = {};
    checks.config = deps.current() ? 'ok' : 'not loaded';
    checks.state = await probe(() => deps.state.ping());
    checks.queue = await probe(() => deps.enqueuer.queue('apply').stats());
    const ready = Object.values(checks).every((v) => v === 'ok');
    return c.json({ status: ready ? 'ready' : 'not ready', checks }, ready ? 200 : 503);
  });

  app.get('/metrics', async (c) => {
    const body = await deps.metrics.registry.metrics();
    return c.body(body, 200, { 'content-type': deps.metrics.registry.contentType });
  });

  app.post(
    '/hook/:digest',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        deps.metrics.webhooks.inc({ type: 'unknown', status: '413' });
        throw new HTTPException(413, { message: `body larger than ${MAX_BODY_BYTES} bytes` });
      },
    }),
    hookRoute({ ...deps, handlers: deps.receiverHandlers }),
  );

  app.use('/api/*', apiAuth(deps.apiToken, deps.log));
  app.route('/api/v1', apiRoutes(deps));

  app.notFound((c) => c.json({ error: 'not found' }, 404));
  app.onError((error, c) => {
    if (error instanceof HTTPException)
      return c.json({ error: error.message }, error.status, Object.fromEntries(error.res?.headers ?? []));
    deps.log.error({ err: error, requestId: c.get('requestId') }, 'request failed');
    return c.json({ error: 'internal error', requestId: c.get('requestId') }, 500);
  });
  return app;
}

async function probe(check: () => Promise<unknown>): Promise<string> {
  try {
    await check();
    return 'ok';
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
