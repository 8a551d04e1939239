/**
 * Reading registry answers with a ceiling. A registry is a remote party: a manifest larger than the
 * distribution spec allows, or a tag page that never ends, must fail the request, not exhaust the
 * process. What the registry says goes into errors only as its error code, never its free text.
 */
import type { RegistryErrorData } from './registry-errors.ts';
import { RegistryProtocolError } from './registry-errors.ts';

export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
export const MAX_CONFIG_BYTES = 16 * 1024 * 1024;
/** A registry that ignores `n` sends every tag in one page: 120,000 tags fit many times over. */
export const MAX_TAG_PAGE_BYTES = 64 * 1024 * 1024;
export const MAX_TOKEN_BYTES = 1024 * 1024;

/** The whole body, or a RegistryProtocolError as soon as it passes `maxBytes`. */
export async function readBody(
  res: Response,
  maxBytes: number,
  what: string,
  data: RegistryErrorData,
): Promise<Buffer> {
  const declared = Number(res.headers.get('content-length') ?? Number.NaN);
  if (declared > maxBytes) {
    await discardBody(res);
    throw tooLarge(what, maxBytes, data);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (res.body !== null) {
    for await (const chunk of res.body) {
      size += chunk.byteLength;
      if (size > maxBytes) {
        await res.body.cancel().catch(() => {});
        throw tooLarge(what, maxBytes, data);
      }
      chunks.push(chunk);
    }
  }
  return Buffer.concat(chunks, size);
}

/** The body parsed as JSON; a body that is not JSON is a protocol error (without the body in it). */
export async function readJson(
  res: Response,
  maxBytes: number,
  what: string,
  data: RegistryErrorData,
): Promise<unknown> {
  return parseJson(await readBody(res, maxBytes, what, data), what, data);
}

export function parseJson(bytes: Buffer, what: string, data: RegistryErrorData): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new RegistryProtocolError(`${what} from ${data.host} is not JSON`, data);
  }
}

/** Lets the connection go back to the pool without reading what nobody needs. */
export async function discardBody(res: Response): Promise<void> {
  await res.body?.cancel().catch(() => {});
}

/** The distribution error code of an error answer (`NAME_UNKNOWN`, `DENIED`), if it has one. */
export async function registryErrorCode(res: Response): Promise<string | undefined> {
  try {
    const body = JSON.parse((await readBody(res, 64 * 1024, 'error', { host: '' })).toString('utf8')) as {
      errors?: { code?: unknown }[];
    };
    const code = body.errors?.[0]?.code;
    return typeof code === 'string' && /^[A-Z_]{1,64}$/.test(code) ? code : undefined;
  } catch {
    return undefined;
  }
}

function tooLarge(what: string, maxBytes: number, data: RegistryErrorData): RegistryProtocolError {
  return new RegistryProtocolError(`${what} from ${data.host} is larger than ${maxBytes} bytes`, data);
}
