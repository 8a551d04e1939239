import type { Logger } from '../../lib/observe/logger.ts';
import { createLogger } from '../../lib/observe/logger.ts';

/** A real ferry logger whose lines are kept for assertions (what was logged, and what was not). */
export function captureLogs(level = 'debug'): {
  log: Logger;
  lines: () => Record<string, unknown>[];
  text: () => string;
} {
  const chunks: string[] = [];
  const log = createLogger({ level, destination: { write: (chunk: string) => chunks.push(chunk) } });
  const text = () => chunks.join('');
  return {
    log,
    text,
    lines: () =>
      text()
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}
