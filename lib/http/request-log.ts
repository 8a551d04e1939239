/**
 * One JSON line per request, with its request id. The path of a webhook is a credential, so hook
 * paths are logged shortened; query strings are never logged.
 */
import type { MiddlewareHandler } from 'hono';
import type { Logger } from '../observe/logger.ts';
import { redactDigest } from '../receivers/receiver-index.ts';

const HOOK_PATH = /(\/hook\/)\/*(.*)$/i;

export function requestLog(log: Logger): MiddlewareHandler {
  return async function requestLogMiddleware(c, next) {
    const started = performance.now();
    await next();
    // Wherever `/hook/` appears: a sender that mistypes the URL around it still sends the digest.
    const path = c.req.path.replace(
      HOOK_PATH,
      (_, hook: string, digest: string) => `${hook}${redactDigest(digest)}`,
    );
    const line = {
      requestId: c.get('requestId'),
      method: c.req.method,
      path,
      status: c.res.status,
      durationMs: Math.round((performance.now() - started) * 10) / 10,
    };
    if (c.res.status >= 500) log.error(line, 'request');
    else if (path === '/healthz' || path === '/readyz' || path === '/metrics') log.debug(line, 'request');
    else log.info(line, 'request');
  };
}
