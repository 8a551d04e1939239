/**
 * Reloads the config when a YAML file under the config directory changes. Editors write files in
 * several steps, so events are debounced; a reload in progress is followed by at most one more.
 */
import type { FSWatcher } from 'node:fs';
import { watch } from 'node:fs';
import type { Logger } from '../observe/logger.ts';

export class ConfigWatcher {
  readonly #watcher: FSWatcher;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<unknown> | undefined;
  #again = false;

  constructor(dir: string, reload: () => Promise<unknown>, log: Logger, debounceMs = 250) {
    const run = () => {
      if (this.#running) {
        this.#again = true;
        return;
      }
      this.#running = reload().finally(() => {
        this.#running = undefined;
        if (this.#again) {
          this.#again = false;
          run();
        }
      });
    };
    this.#watcher = watch(dir, { recursive: true }, (_event, file) => {
      if (file && !/\.ya?ml$/i.test(file)) return;
      clearTimeout(this.#timer);
      this.#timer = setTimeout(run, debounceMs);
    });
    this.#watcher.on('error', (error) =>
      log.warn({ err: error }, 'config watch failed; reload with a restart'),
    );
  }

  close(): void {
    clearTimeout(this.#timer);
    this.#watcher.close();
  }
}
