/**
 * A Kustomization removed from the config takes its objects with it, as under `ferry serve`
 * (orphan-inventories.ts). No function holds the config before and after a change, so the work is
 * split. The scheduled function, seeing a new revision, notes each Kustomization the previous one
 * had and this one has not (`removed/<namespace>/<name>`: the last revision that defined it), and
 * on every tick wakes the apply worker with an apply job for each note that is due. The apply
 * worker, finding such a job (runJob would drop it: the object is gone), loads the config at that
 * revision to reach the cluster the Kustomization applied to, and prunes. A prune that fails keeps
 * the note, due again five minutes later, six times; a new revision of the config starts the count
 * again. The jobs go to a group of their own, so they never hold back a Kustomization of the name.
 */
import type { ConfigSet } from '../config/index.ts';
import type { JobEnqueuer } from '../jobs/enqueuer.ts';
import type { Job } from '../jobs/job.ts';
import type { StateStore } from '../state/state-store.ts';

export interface RemovalNote {
  /** The last revision of the config that defined the Kustomization. */
  revision: string;
  /** Prunes tried and failed since the note was made or the config last changed. */
  attempts?: number;
  /** Epoch milliseconds before which the note is not due again. */
  retryAt?: number;
}

export const PRUNE_ATTEMPTS = 6;
export const PRUNE_RETRY_MS = 300_000;

export function removalKey(namespace: string, name: string): string {
  return `removed/${namespace}/${name}`;
}

export interface RemovalTick {
  config: ConfigSet;
  /** Set when the config changed since the objects were last recorded: the revision before. */
  previousRevision?: string;
  now: number;
}

/**
 * The scheduled function's part, every tick, before the objects of `config` are recorded. Returns
 * the Kustomizations whose apply job was sent, as `namespace/name`.
 */
export async function scheduleRemovals(
  state: StateStore,
  enqueuer: JobEnqueuer,
  tick: RemovalTick,
): Promise<string[]> {
  const { config, previousRevision, now } = tick;
  if (previousRevision !== undefined) {
    const records = await state.query<{ metadata?: { namespace?: string; name?: string } }>(
      'objects/Kustomization/',
    );
    for (const item of records) {
      const namespace = item.value.metadata?.namespace ?? '';
      const name = item.value.metadata?.name ?? '';
      if (config.get('Kustomization', namespace, name)) continue;
      // The earliest note stays: a second change must not lose the revision that defined it.
      if (!(await state.get(removalKey(namespace, name))))
        await state.put(removalKey(namespace, name), { revision: previousRevision } satisfies RemovalNote);
    }
  }
  const sent: string[] = [];
  for (const item of await state.query<RemovalNote>('removed/')) {
    const [, namespace = '', name = ''] = item.key.split('/');
    if (config.get('Kustomization', namespace, name)) {
      await state.delete(item.key); // defined again: nothing to prune
      continue;
    }
    let note = item.value;
    if (previousRevision !== undefined && note.attempts) {
      note = { revision: note.revision };
      await state.put(item.key, note);
    }
    if ((note.attempts ?? 0) >= PRUNE_ATTEMPTS || (note.retryAt ?? 0) > now) continue;
    await enqueuer.enqueue(
      { kind: 'apply', kustomization: { namespace, name } },
      { group: `prune/${namespace}/${name}`, salt: `removed:${now}` },
    );
    sent.push(`${namespace}/${name}`);
  }
  return sent;
}

/** The noted removals among a batch's apply jobs whose Kustomization the config no longer has. */
export async function removalsIn(
  state: StateStore,
  config: ConfigSet,
  jobs: readonly Job[],
): Promise<Array<{ namespace: string; name: string; note: RemovalNote }>> {
  const found = [];
  for (const job of jobs) {
    if (job.kind !== 'apply') continue;
    const { namespace, name } = job.kustomization;
    if (config.get('Kustomization', namespace, name)) continue;
    const note = await state.get<RemovalNote>(removalKey(namespace, name));
    if (note) found.push({ namespace, name, note: note.value });
  }
  return found;
}

/** The apply worker's record of a failed prune: due again later, unless it was the last try. */
export async function notePruneFailed(
  state: StateStore,
  namespace: string,
  name: string,
  note: RemovalNote,
  now: number,
): Promise<void> {
  await state.put(removalKey(namespace, name), {
    ...note,
    attempts: (note.attempts ?? 0) + 1,
    retryAt: now + PRUNE_RETRY_MS,
  } satisfies RemovalNote);
}
