import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConfigSet } from '../../lib/config/index.ts';
import { JobEnqueuer } from '../../lib/jobs/enqueuer.ts';
import { EventBus } from '../../lib/jobs/event-bus.ts';
import type { JobContext } from '../../lib/jobs/run-job.ts';
import { StatusRecorder } from '../../lib/jobs/status.ts';
import { jobGroupResolver } from '../../lib/jobs/update-group.ts';
import { EmbeddedJobQueueFactory } from '../../lib/queue/index.ts';
import { EmbeddedStateStore } from '../../lib/state/index.ts';
import { captureLogs } from './log-capture.ts';

export interface TestJobContext extends JobContext {
  dir: string;
  logs: ReturnType<typeof captureLogs>;
  close(): Promise<void>;
}

/** A job context over the real embedded state store and queue in a temporary directory. */
export async function testJobContext(config: ConfigSet, now = () => new Date()): Promise<TestJobContext> {
  const dir = await mkdtemp(join(tmpdir(), 'ferry-job-'));
  const state = new EmbeddedStateStore({ dir, now: () => now().getTime() });
  const queues = new EmbeddedJobQueueFactory({ dir });
  const logs = captureLogs();
  return {
    dir,
    logs,
    config: () => config,
    state,
    status: new StatusRecorder(state, now),
    events: new EventBus(state, { now }),
    enqueuer: new JobEnqueuer(
      queues,
      jobGroupResolver(() => config),
    ),
    log: logs.log,
    now,
    signal: new AbortController().signal,
    attempt: 1,
    async close() {
      await queues.close();
      await state.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
