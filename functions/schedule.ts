/** The scheduled function, every minute: the scheduler's tick once, its schedule kept in state. */
import type { RuntimeSource } from './function-runtime.ts';
import { functionRuntime } from './function-runtime.ts';
import type { EventBridgeEvent } from './lambda-events.ts';

export function scheduleHandler(runtimeOf: RuntimeSource = functionRuntime) {
  return async (_event: EventBridgeEvent<unknown>): Promise<{ enqueued: string[] }> => ({
    enqueued: await (await runtimeOf()).scheduleTick(),
  });
}

export const handler = scheduleHandler();
