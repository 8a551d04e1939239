/**
 * The one place a notification touches the network: a request (the POST, or the GET that looks for a
 * duplicate commit status first) with the Provider's timeout covering the
 * whole exchange (connect, answer, body), through its proxy when it has one (https through a CONNECT
 * tunnel, plain http as an absolute-URI request, as Go's transport does for Flux), reading at most
 * 1 MiB of the answer. Redirects are not followed: a webhook that moved is
 * answered as refused (3xx) rather than sending its headers elsewhere. A failure to get an answer is
 * transient and says which, naming the host only.
 *
 * Through a proxy the request goes by node:http(s) with Node's own proxy-aware Agent (the Provider's
 * proxy as its HTTP(S)_PROXY); without one by fetch. A proxy client library would do the same and
 * add 700 KB to the notify function, over its size budget.
 */
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
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
  /** The job's deadline: a delivery still running then is given up, transiently. */
  signal?: AbortSignal;
}

const ANSWER_BYTES = 1024 * 1024;

export async function httpSend(request: HttpRequest, options: SendOptions): Promise<ReceiverAnswer> {
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
  try {
    if (options.proxy) return await viaProxy(request, options.proxy, signal);
    const response = await (options.fetch ?? fetch)(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      signal,
      redirect: 'manual',
    });
    return { status: response.status, headers: response.headers, body: await readAnswer(response) };
  } catch (error) {
    throw new DeliveryFailedError(describeFailure(error, signal, options), options.who, scrub(error));
  }
}

/** The first ANSWER_BYTES of the body as text; the rest is not waited for, nor held in memory. */
async function readAnswer(response: Response): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (size < ANSWER_BYTES) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.length;
  }
  if (size >= ANSWER_BYTES) await reader.cancel();
  return new TextDecoder().decode(Buffer.concat(chunks).subarray(0, ANSWER_BYTES));
}

async function viaProxy(request: HttpRequest, proxy: string, signal: AbortSignal): Promise<ReceiverAnswer> {
  const tls = request.url.startsWith('https:');
  const proxyEnv = { HTTP_PROXY: proxy, HTTPS_PROXY: proxy };
  const agent = tls ? new HttpsAgent({ proxyEnv }) : new HttpAgent({ proxyEnv });
  const send = tls ? httpsRequest : httpRequest;
  try {
    return await new Promise<ReceiverAnswer>((resolve, reject) => {
      const req = send(
        request.url,
        { method: request.method, headers: request.headers, agent, signal },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          const finish = () => {
            const headers = new Headers();
            for (const [name, value] of Object.entries(res.headers)) {
              for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value])
                headers.append(name, v);
            }
            const body = new TextDecoder().decode(Buffer.concat(chunks).subarray(0, ANSWER_BYTES));
            resolve({ status: res.statusCode ?? 0, headers, body });
          };
          res.on('data', (chunk: Buffer) => {
            chunks.push(chunk);
            size += chunk.length;
            // Enough of the answer: the rest is not waited for.
            if (size >= ANSWER_BYTES) {
              finish();
              res.destroy();
            }
          });
          res.on('error', reject);
          res.on('end', finish);
        },
      );
      req.on('error', reject);
      req.end(request.body);
    });
  } finally {
    agent.destroy();
  }
}

function describeFailure(error: unknown, signal: AbortSignal, options: SendOptions): string {
  if (options.signal?.aborted) return "stopped at the worker's deadline";
  if (signal.aborted) return `no answer within ${options.timeoutMs / 1000}s`;
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const code = (cause as { code?: unknown } | undefined)?.code;
  if (options.proxy && typeof code === 'string') return `through the proxy: ${code}`;
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
