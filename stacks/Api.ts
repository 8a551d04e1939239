/**
 * The HTTP API: webhooks, health, readiness, metrics and the token-gated /api/v1 (objects, events,
 * reconcile), every route to the one http function (the Hono app of lib/http/app.ts), throttled at
 * the stage so a flood of requests is refused by API Gateway (429) before it costs a Lambda
 * invocation.
 */
import type { StackContext } from 'sst/constructs';
import { Api as HttpApi, use } from 'sst/constructs';
import { Queues } from './Queues.ts';
import { Storage } from './Storage.ts';
import { triggerFunction } from './trigger-function.ts';

/** The routes lib/http/app.ts serves. */
export const HTTP_ROUTES = [
  'POST /hook/{digest}',
  'GET /healthz',
  'GET /readyz',
  'GET /metrics',
  // One route for the API: the app answers its own 401/403/404 under /api, whatever the method.
  'ANY /api/{proxy+}',
] as const;

/** Requests per second across all routes, and the burst above it, before API Gateway answers 429. */
export const THROTTLE = { rate: 50, burst: 100 } as const;

export function Api({ stack, app }: StackContext) {
  const { table } = use(Storage);
  const { queues, environment } = use(Queues);
  const http = triggerFunction(stack, app, 'http', { table, queues, environment });
  const api = new HttpApi(stack, 'api', {
    defaults: { throttle: THROTTLE },
    routes: Object.fromEntries(HTTP_ROUTES.map((route) => [route, { function: http }])),
  });
  stack.addOutputs({ ApiUrl: api.url });
  return { api, http };
}
