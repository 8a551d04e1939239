/**
 * What ferry remembers per image: its tags (one record per canonical image, shared by every
 * ImageRepository and v1 workload of it, chunked by the store when large) and who watches it
 * without an ImageRepository (v1 automated workloads, found by the update job in git).
 */
import type { StateStore } from '../state/state-store.ts';
import { StateConflictError } from '../state/state-store.ts';

export interface ImageTags {
  image: string;
  /** In the registry's listing order, hint-confirmed tags appended. */
  tags: string[];
  /** Digests ferry has seen, by tag (from hints and digest reflection). */
  digests: Record<string, string>;
  /** RFC 3339 time of the last full listing. */
  listedAt: string;
}

export interface ImageWatchers {
  /** `namespace/name` of ImageUpdateAutomations whose v1 workloads run this image. */
  automations: string[];
}

const tagsKey = (image: string) => `tags/${image}`;
const watchersKey = (image: string) => `watchers/${image}`;

export async function readImageTags(store: StateStore, image: string): Promise<ImageTags | undefined> {
  return (await store.get<ImageTags>(tagsKey(image)))?.value;
}

export async function writeImageTags(store: StateStore, record: ImageTags): Promise<void> {
  await store.put(tagsKey(record.image), record);
}

export async function readImageWatchers(store: StateStore, image: string): Promise<string[]> {
  return (await store.get<ImageWatchers>(watchersKey(image)))?.value.automations ?? [];
}

/** Adds an automation to an image's watchers; a no-op when it is there already. */
export async function addImageWatcher(store: StateStore, image: string, automation: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const current = await store.get<ImageWatchers>(watchersKey(image));
    const automations = current?.value.automations ?? [];
    if (automations.includes(automation)) return;
    const next = { automations: [...automations, automation].sort() };
    try {
      await store.put(
        watchersKey(image),
        next,
        current ? { ifVersion: current.version } : { ifAbsent: true },
      );
      return;
    } catch (error) {
      if (!(error instanceof StateConflictError) || attempt >= 5) throw error;
    }
  }
}
