/**
 * The HTTP app of a deployed ferry: lib/http's app over an AwsRuntime's config, state and queues.
 * Each request first lets the runtime look at the config branch when that is due; the receiver
 * index is built once per loaded config. The /api token is the parameter `<prefix>/api-token`, read
 * through the runtime's cached parameter source so a rotated token arrives within its cache time.
 */
import { Hono } from 'hono';
import type { ConfigSet } from '../config/index.ts';
import { TerminalError } from '../errors.ts';
import { createApp } from '../http/app.ts';
import { createMetrics } from '../observe/metrics.ts';
import { RECEIVER_HANDLERS } from '../receivers/index.ts';
import { ReceiverIndex } from '../receivers/receiver-index.ts';
import type { AwsRuntime } from '../runtime/aws-runtime.ts';
import type { ParameterSource } from './parameter-source.ts';

/** After a failed load with no config yet, requests wait this long before asking git again. */
export const FAILED_LOAD_RETRY_MS = 10_000;

export function awsHttpApp(runtime: AwsRuntime, now: () => number = Date.now): Hono {
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
    apiToken: () => readApiToken(runtime.parameters, `${runtime.env.parameterPrefix}/api-token`),
  });
  const outer = new Hono();
  let failedAt = Number.NEGATIVE_INFINITY;
  outer.all('*', async (c) => {
    // A failed first load leaves the app without config: /readyz says so, hooks answer 503. Until
    // a config is in, a failed load is not tried again for a while, nor for /healthz at all: a
    // burst of webhooks or probes must not each clone the repository.
    const waiting = !runtime.configRepository.current && now() - failedAt < FAILED_LOAD_RETRY_MS;
    if (new URL(c.req.url).pathname !== '/healthz' && !waiting) {
      await runtime.load().catch((error: unknown) => {
        failedAt = now();
        runtime.log.error({ err: error }, 'config load failed');
      });
    }
    return await app.fetch(c.req.raw, c.env);
  });
  return outer;
}

/** The API token parameter holds neither a bare token nor JSON `{"token": "..."}`. */
export class ApiTokenParameterError extends TerminalError {}

/** The token in `parameter`: its text, or the `token` of a JSON object; undefined when absent. */
async function readApiToken(parameters: ParameterSource, parameter: string): Promise<string | undefined> {
  const text = (await parameters.get(parameter))?.trim();
  if (!text?.startsWith('{')) return text;
  let token: unknown;
  try {
    token = (JSON.parse(text) as { token?: unknown }).token;
  } catch {
    // The parser's message may quote the text, which is the secret.
    token = undefined;
  }
  if (typeof token !== 'string')
    throw new ApiTokenParameterError(`parameter ${parameter} is JSON without a "token" string`, {
      data: { parameter },
    });
  return token;
}
