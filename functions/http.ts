/**
 * The HTTP function: API Gateway HTTP API (payload 2.0) and Function URL events into the Hono app.
 * hono/aws-lambda decodes a base64 body (`isBase64Encoded`) to its bytes before the app sees it, so
 * receivers verify signatures on exactly the bytes the sender signed. The app is built on the first
 * request, with the runtime.
 */
import type { LambdaContext } from 'hono/aws-lambda';
import { handle } from 'hono/aws-lambda';
import type { RuntimeSource } from './function-runtime.ts';
import { functionRuntime } from './function-runtime.ts';
import type { HttpEventV2 } from './lambda-events.ts';

type LambdaHandler = ReturnType<typeof handle>;

export function httpHandler(runtimeOf: RuntimeSource = functionRuntime) {
  let ready: Promise<LambdaHandler> | undefined;
  const prepare = async () => {
    const [runtime, { awsHttpApp }] = await Promise.all([runtimeOf(), import('../lib/aws/aws-http-app.ts')]);
    return handle(awsHttpApp(runtime));
  };
  return async (event: HttpEventV2, context: LambdaContext) => {
    ready ??= prepare();
    ready.catch(() => {
      ready = undefined;
    });
    return await (await ready)(event, context);
  };
}

export const handler = httpHandler();
