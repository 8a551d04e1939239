/**
 * The one AwsRuntime of a function instance, made from the environment on first use, so that
 * module init stays cheap and a missing variable fails the first invocation with its name.
 */
import { readAwsEnv } from '../lib/aws/aws-env.ts';
import { createLogger } from '../lib/observe/logger.ts';
import { AwsRuntime } from '../lib/runtime/aws-runtime.ts';

let runtime: AwsRuntime | undefined;

export function functionRuntime(): AwsRuntime {
  runtime ??= new AwsRuntime({ env: readAwsEnv(process.env), log: createLogger() });
  return runtime;
}
