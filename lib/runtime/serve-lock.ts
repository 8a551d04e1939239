/**
 * One `ferry serve` per state directory: it is the queue's only consumer, which is what lets it give
 * back, at start, the deliveries a crashed predecessor left in flight. A lock file names the process
 * holding the directory; a lock whose process is gone is taken over.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TerminalError } from '../errors.ts';

export class StateDirectoryLockedError extends TerminalError {}

export interface ServeLock {
  release(): void;
}

export function lockStateDirectory(dir: string): ServeLock {
  const file = join(dir, 'serve.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' });
      return { release: () => rmSync(file, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readFileSync(file, 'utf8'));
      if (alive(holder) && holder !== process.pid) {
        throw new StateDirectoryLockedError(
          `another ferry serve (pid ${holder}) is using the state directory ${dir}`,
          {
            data: { dir, pid: holder },
          },
        );
      }
      rmSync(file, { force: true });
    }
  }
  throw new StateDirectoryLockedError(`could not lock the state directory ${dir}`, { data: { dir } });
}

function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
