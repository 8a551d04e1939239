/**
 * The one place a notification touches the network: a request (the POST, or the GET that looks for a
 * duplicate commit status first) with the Provider's timeout covering the
 * whole exchange (connect, answer, body), through its proxy when it has one (undici's ProxyAgent:
 * https through a CONNECT tunnel, plain http as an absolute-URI request, as Go's transport does for
 * Flux), reading at most 1 MiB of the answer. Redirects are not followed: a webhook that moved is
 * answered as refused (3xx) rather than sending its headers elsewhere. A failure to get an answer is
 * transient and says which, naming the host only.
 *
 * undici is loaded only for a Provider with a proxy: without one Node's own fetch does, and a
 * function bundle that never meets a proxy does not carry undici's 700 KB.
 */
import { type DeliveryErrorData, DeliveryFailedError } from './delivery-errors.ts';
import type { ReceiverAnswer } from './receiver-answer.ts';

export interface HttpRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export interface SendOptions {
  timeoutMs: number;
  proxy?: string;
  /** Used without a proxy only (see DeliverOptions.fetch). */
  fetch?: typeof fetch;
  /** Names the Provider and host in errors. */
  who: DeliveryErrorData;
}

const ANSWER_BYTES = 1024 * 1024;

export async function httpSend(request: HttpRequest, options: SendOptions): Promise<ReceiverAnswer> {
  const signal = AbortSignal.timeout(options.timeoutMs);
  const undici = options.proxy ? await import('undici') : undefined;
  const dispatcher = undici && options.proxy ? new undici.ProxyAgent({ uri: options.proxy }) : undefined;
  const send = undici ? (undici.fetch as unknown as typeof fetch) : (options.fetch ?? fetch);
  try {
    const response = await send(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      signal,
      redirect: 'manual',
      ...(dispatcher ? { dispatcher } : {}),
    } as RequestInit);
    const bytes = new Uint8Array(await response.arrayBuffer());
    const body = new TextDecoder().decode(bytes.subarray(0, ANSWER_BYTES));
    return { status: response.status, headers: response.headers, body };
  } catch (error) {
    throw new DeliveryFailedError(describeFailure(error, signal, options), options.who, scrub(error));
  } finally {
    await dispatcher?.destroy();
  }
}

function describeFailure(error: unknown, signal: AbortSignal, options: SendOptions): string {
  if (signal.aborted) return `no answer within ${options.timeoutMs / 1000}s`;
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const code = (cause as { code?: unknown } | undefined)?.code;
  if (options.proxy && typeof code === 'string' && code.startsWith('UND_ERR_'))
    return `through the proxy: ${code}`;
  return typeof code === 'string' ? code : 'network error';
}

/**
 * The underlying error without its message, which undici may build from the full URL or the proxy's
 * credentials: only the class name and code survive.
 */
function scrub(error: unknown): Error {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const name = cause instanceof Error ? cause.name : 'Error';
  const code = (cause as { code?: unknown } | undefined)?.code;
  const scrubbed = new Error(typeof code === 'string' ? code : name);
  scrubbed.name = name;
  return scrubbed;
}
