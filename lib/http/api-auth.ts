/**
 * The gate of /api: a bearer token compared in constant time on bytes. Closed until a token is
 * configured (403 saying how), so that a deployment never exposes its objects or its queue by
 * default; a missing or wrong token is 401 with the challenge. The token is asked for on every
 * request, so that a rotated one takes effect as soon as its source says so; the source caches.
 */
import type { MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { Logger } from '../observe/logger.ts';
import { secretsEqual } from '../receivers/verify.ts';

/** Where the API token comes from; undefined or blank means none is configured. */
export type ApiTokenSource = () => Promise<string | undefined>;

export const API_TOKEN_HELP =
  'the API is closed: no API token is configured. ferry serve takes --api-token-file FILE or the ' +
  'environment variable FERRY_API_TOKEN; on AWS, put the token in the parameter <FERRY_PARAMETER_PREFIX>/api-token';

const CHALLENGE = { 'WWW-Authenticate': 'Bearer realm="ferry"' };

export function apiAuth(apiToken: ApiTokenSource | undefined, log: Logger): MiddlewareHandler {
  return async function apiAuthMiddleware(c, next) {
    let expected: string | undefined;
    try {
      expected = (await apiToken?.())?.trim();
    } catch (error) {
      log.warn({ err: error }, 'the API token could not be read');
      throw new HTTPException(503, { message: 'the API token could not be read; try again shortly' });
    }
    if (!expected) throw new HTTPException(403, { message: API_TOKEN_HELP });
    const header = c.req.header('authorization')?.trim() ?? '';
    const bearer = /^bearer\s+/i.exec(header);
    if (!bearer) throw unauthorized('an Authorization: Bearer <token> header is required');
    if (!secretsEqual(header.slice(bearer[0].length).trim(), expected))
      throw unauthorized('the bearer token is not the API token');
    await next();
  };
}

function unauthorized(message: string): HTTPException {
  return new HTTPException(401, { message, res: new Response(null, { status: 401, headers: CHALLENGE }) });
}
