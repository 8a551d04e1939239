import { stat } from 'node:fs/promises';
import { EmbeddedJobQueueFactory } from '../queue/index.ts';
import { EmbeddedStateStore } from '../state/index.ts';

export const DEFAULT_STATE_DIR = '.ferry';

/** Opens the state a `ferry serve` wrote, refusing to invent an empty one. */
export async function openExistingState(dir: string): Promise<EmbeddedStateStore> {
  await ensureStateDir(dir);
  return new EmbeddedStateStore({ dir });
}

export async function openExistingQueues(dir: string): Promise<EmbeddedJobQueueFactory> {
  await ensureStateDir(dir);
  return new EmbeddedJobQueueFactory({ dir });
}

async function ensureStateDir(dir: string): Promise<void> {
  const found = await stat(dir).catch(() => undefined);
  if (!found?.isDirectory()) {
    throw new Error(`no ferry state at ${dir}: start \`ferry serve --state ${dir}\` first, or pass --state`);
  }
}
