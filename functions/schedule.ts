/** The scheduled function, every minute: the scheduler's tick once, its schedule kept in state. */
import type { AwsRuntime } from '../lib/runtime/aws-runtime.ts';
import { functionRuntime } from './function-runtime.ts';
import type { EventBridgeEvent } from './lambda-events.ts';

export function scheduleHandler(runtimeOf: () => AwsRuntime = functionRuntime) {
  return async (_event: EventBridgeEvent<unknown>): Promise<{ enqueued: string[] }> => ({
    enqueued: await runtimeOf().scheduleTick(),
  });
}

export const handler = scheduleHandler();
