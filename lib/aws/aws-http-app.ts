/**
 * The HTTP app of a deployed ferry: lib/http's app over an AwsRuntime's config, state and queues.
 * Each request first lets the runtime look at the config branch when that is due; the receiver
 * index is built once per loaded config.
 */
import { Hono } from 'hono';
import type { ConfigSet } from '../config/index.ts';
import { createApp } from '../http/app.ts';
import { createMetrics } from '../observe/metrics.ts';
import { RECEIVER_HANDLERS } from '../receivers/index.ts';
import { ReceiverIndex } from '../receivers/receiver-index.ts';
import type { AwsRuntime } from '../runtime/aws-runtime.ts';

export function awsHttpApp(runtime: AwsRuntime): Hono {
  const indexes = new WeakMap<ConfigSet, ReceiverIndex>();
  const receiversOf = (config: ConfigSet) => {
    let index = indexes.get(config);
    if (!index) {
      index = ReceiverIndex.fromConfig(config);
      indexes.set(config, index);
    }
    return index;
  };
  const app = createApp({
    current: () => {
      const loaded = runtime.configRepository.current;
      return loaded ? { config: loaded.config, receivers: receiversOf(loaded.config) } : undefined;
    },
    state: runtime.state,
    enqueuer: runtime.enqueuer,
    metrics: createMetrics({ defaultMetrics: false }),
    log: runtime.log,
    receiverHandlers: RECEIVER_HANDLERS,
  });
  const outer = new Hono();
  outer.all('*', async (c) => {
    // A failed first load leaves the app without config: /readyz says so, hooks answer 503.
    await runtime.load().catch((error: unknown) => runtime.log.error({ err: error }, 'config load failed'));
    return await app.fetch(c.req.raw, c.env);
  });
  return outer;
}
