/**
 * The one AwsRuntime of a function instance, made from the environment on first use. Everything
 * heavy (the AWS SDK clients, the config loader, git) is imported here, on the first invocation,
 * rather than at module init: Lambda's init phase then loads little more than the handler, and a
 * missing variable fails the first invocation with its name.
 */
import type { AwsRuntime } from '../lib/runtime/aws-runtime.ts';

let runtime: Promise<AwsRuntime> | undefined;

export function functionRuntime(): Promise<AwsRuntime> {
  runtime ??= (async () => {
    const [{ readAwsEnv }, { createLogger }, { AwsRuntime }, { default: pino }] = await Promise.all([
      import('../lib/aws/aws-env.ts'),
      import('../lib/observe/logger.ts'),
      import('../lib/runtime/aws-runtime.ts'),
      import('pino'),
    ]);
    // Synchronous writes: a frozen sandbox must not hold log lines back.
    const log = createLogger({ destination: pino.destination({ fd: 1, sync: true }) });
    return new AwsRuntime({ env: readAwsEnv(process.env), log });
  })();
  runtime.catch(() => {
    runtime = undefined;
  });
  return runtime;
}

/** Where a handler gets its runtime: the function's own, or a test's. */
export type RuntimeSource = () => AwsRuntime | Promise<AwsRuntime>;
