/**
 * The HTTP function: API Gateway HTTP API (payload 2.0) and Function URL events into the Hono app.
 * hono/aws-lambda decodes a base64 body (`isBase64Encoded`) to its bytes before the app sees it, so
 * receivers verify signatures on exactly the bytes the sender signed.
 */
import { handle } from 'hono/aws-lambda';
import { awsHttpApp } from '../lib/aws/aws-http-app.ts';
import type { AwsRuntime } from '../lib/runtime/aws-runtime.ts';
import { functionRuntime } from './function-runtime.ts';

export function httpHandler(runtimeOf: () => AwsRuntime = functionRuntime) {
  let handler: ReturnType<typeof handle> | undefined;
  return (...args: Parameters<ReturnType<typeof handle>>) => {
    handler ??= handle(awsHttpApp(runtimeOf()));
    return handler(...args);
  };
}

export const handler = httpHandler();
