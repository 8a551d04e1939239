/**
 * `ferry serve`: starts the local runtime and stops it cleanly on SIGTERM or SIGINT: no new jobs,
 * running ones finished or released, exit 0 within ten seconds.
 */
import { ConfigError } from '../config/index.ts';
import type { Logger } from '../observe/logger.ts';
import type { LocalRuntime, LocalRuntimeOptions } from '../runtime/local-runtime.ts';
import { startLocalRuntime } from '../runtime/local-runtime.ts';

export const SHUTDOWN_GRACE_MS = 10_000;

export interface Listen {
  host: string;
  port: number;
}

/** `HOST:PORT`, `[v6]:PORT` or `:PORT` (all interfaces). */
export function parseListen(text: string): Listen {
  const match = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(text);
  const port = Number(match?.[3]);
  if (!match || port > 65_535) throw new Error(`--listen: expected HOST:PORT, got "${text}"`);
  return { host: match[1] ?? (match[2] || '0.0.0.0'), port };
}

export async function serveCommand(
  options: Omit<LocalRuntimeOptions, 'log'>,
  log: Logger,
  stderr: (line: string) => void,
): Promise<{ runtime: LocalRuntime; done: Promise<number> } | number> {
  let runtime: LocalRuntime;
  try {
    runtime = await startLocalRuntime({ ...options, log });
  } catch (error) {
    if (error instanceof ConfigError) {
      stderr(
        `ferry: the config in ${options.configDir} is not valid; nothing was started.\n${error.message}`,
      );
      return 1;
    }
    throw error;
  }
  const done = new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      log.info({ signal }, 'shutting down');
      const force = setTimeout(() => resolve(0), SHUTDOWN_GRACE_MS).unref();
      runtime
        .stop(SHUTDOWN_GRACE_MS - 1_000)
        .catch((error) => log.error({ err: error }, 'shutdown was not clean'))
        .finally(() => {
          clearTimeout(force);
          resolve(0);
        });
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  return { runtime, done };
}
