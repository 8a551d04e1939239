/**
 * JSON structured logs. Redaction is by field name and applies at any depth we log: tokens,
 * passwords, webhook URLs and receiver paths are secrets in GitOps (a receiver's path is its
 * credential), so they are censored before a line is written, whoever wrote the call.
 */

import type { DestinationStream, Logger as PinoLogger } from 'pino';
import { pino } from 'pino';

export type Logger = PinoLogger;

const SECRET_FIELDS = [
  'token',
  'password',
  'bearerToken',
  'secret',
  'address',
  'authorization',
  'webhookUrl',
  'hookPath',
  'values',
];

/** Every `field` and `*.field` up to three levels deep, pino's redaction being path-based. */
export const REDACT_PATHS: string[] = SECRET_FIELDS.flatMap((f) => [f, `*.${f}`, `*.*.${f}`, `*.*.*.${f}`]);

export interface LoggerOptions {
  level?: string;
  /** Where lines go; stdout by default. Tests pass a stream to assert on what was logged. */
  destination?: DestinationStream;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? process.env.FERRY_LOG_LEVEL ?? 'info',
      base: { service: 'ferry' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    },
    options.destination ?? pino.destination({ fd: 1, sync: false }),
  );
}

/** A logger that drops everything, for library callers that pass none. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
