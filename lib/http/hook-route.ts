/**
 * `POST /hook/:digest`: find the Receiver, verify and parse through its sender's handler, enqueue
 * the jobs, answer 202. The work happens in the jobs; this answers in milliseconds.
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ConfigSet } from '../config/index.ts';
import type { JobEnqueuer } from '../jobs/enqueuer.ts';
import type { Logger } from '../observe/logger.ts';
import type { Metrics } from '../observe/metrics.ts';
import type { ReceiverHandler } from '../receivers/receiver-handler.ts';
import { ReceiverAuthError, ReceiverPayloadError } from '../receivers/receiver-handler.ts';
import type { ReceiverIndex } from '../receivers/receiver-index.ts';

export interface HookDeps {
  current: () => { config: ConfigSet; receivers: ReceiverIndex } | undefined;
  enqueuer: JobEnqueuer;
  handlers: Readonly<Record<string, ReceiverHandler>>;
  metrics: Metrics;
  log: Logger;
}

export function hookRoute(deps: HookDeps) {
  return async function hook(c: Context): Promise<Response> {
    let type = 'unknown';
    let status = 500;
    try {
      const response = await handle(c);
      status = response.status;
      return response;
    } catch (error) {
      status = error instanceof HTTPException ? error.status : 500;
      throw error;
    } finally {
      deps.metrics.webhooks.inc({ type, status: String(status) });
    }

    async function handle(c: Context): Promise<Response> {
      const current = deps.current();
      if (!current) throw new HTTPException(503, { message: 'config not loaded' });
      const entry = current.receivers.find(c.req.param('digest') ?? '');
      if (!entry) throw new HTTPException(404, { message: 'no receiver at this path' });
      const { receiver, token } = entry;
      type = receiver.spec.type;
      const name = `${receiver.metadata.namespace}/${receiver.metadata.name}`;
      if (receiver.spec.suspend) throw new HTTPException(503, { message: `receiver ${name} is suspended` });
      const handler = deps.handlers[type];
      if (!handler)
        throw new HTTPException(501, { message: `receiver type ${type} is not supported by this ferry` });

      const body = new Uint8Array(await c.req.arrayBuffer());
      let outcome: Awaited<ReturnType<ReceiverHandler>>;
      try {
        outcome = await handler({
          receiver,
          token,
          headers: c.req.raw.headers,
          body,
          config: current.config,
        });
      } catch (error) {
        if (error instanceof ReceiverAuthError) {
          deps.log.warn({ receiver: name, reason: error.message }, 'webhook rejected');
          throw new HTTPException(401, { message: 'signature verification failed' });
        }
        if (error instanceof ReceiverPayloadError) throw new HTTPException(400, { message: error.message });
        throw error;
      }
      const salt = outcome.deliveryId ?? (c.get('requestId') as string);
      await Promise.all(outcome.jobs.map((job) => deps.enqueuer.enqueue(job, { salt })));
      deps.log.info(
        { receiver: name, type, jobs: outcome.jobs.length, delivery: outcome.deliveryId },
        'webhook accepted',
      );
      return c.json({ message: outcome.message, jobs: outcome.jobs.length }, 202);
    }
  };
}
