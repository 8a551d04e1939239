/**
 * git's smart HTTP protocol, stateless: one GET of `info/refs?service=…` to learn the remote's refs and
 * capabilities (v0), or only its capabilities when it speaks v2 and we offer it; then POSTs to the
 * service. It rides on an isomorphic-git HTTP client plugin (its Node client by default), so a
 * proxying or instrumented client drops in. Every failure is mapped here, once: 401/403 are terminal
 * auth errors, 404 a missing repository, 429/5xx and network errors transient; messages name the URL
 * without credentials.
 */
import type { GitHttpResponse, HttpClient } from 'isomorphic-git';
import nodeHttp from 'isomorphic-git/http/node';
import type { GitAuth } from './git-auth.ts';
import { authorizationHeader } from './git-auth.ts';
import {
  GitAuthError,
  GitConfigError,
  GitProtocolError,
  GitRefNotFoundError,
  GitUnavailableError,
} from './git-errors.ts';
import { pktText, readPktLines } from './pkt-line.ts';
import { isV2Advertisement, parseV2Capabilities } from './protocol-v2.ts';

export type GitService = 'git-upload-pack' | 'git-receive-pack';

/** What `info/refs` told us: every ref with its oid, and the server's capabilities. */
export type RefAdvertisement = { refs: Map<string, string>; capabilities: Set<string> };

/**
 * What `info/refs` told a client that offered protocol v2: the server's v2 capabilities (`ls-refs`,
 * `fetch=shallow …`), or, from a server that only speaks v0, the whole ref advertisement.
 */
export type Discovery =
  | { version: 2; capabilities: Map<string, string> }
  | { version: 0; advertisement: RefAdvertisement };

export type SmartHttp = {
  advertise(service: GitService): Promise<RefAdvertisement>;
  /** `info/refs` for upload-pack with `Git-Protocol: version=2`; a v0 server ignores the header. */
  discover(): Promise<Discovery>;
  post(service: GitService, body: Buffer, options?: { protocolV2?: boolean }): Promise<Buffer>;
};

export type SmartHttpOptions = {
  /** The repository URL, without credentials. */
  url: string;
  auth?: GitAuth | undefined;
  http?: HttpClient | undefined;
  /** Per request; Flux's GitRepository default is 60 s. */
  timeoutMs?: number | undefined;
};

const USER_AGENT = 'git/ferry';

export function smartHttp(options: SmartHttpOptions): SmartHttp {
  const { url, auth, http = nodeHttp, timeoutMs = 60_000 } = options;
  const baseHeaders: Record<string, string> = { 'User-Agent': USER_AGENT };
  if (auth) baseHeaders.Authorization = authorizationHeader(auth);

  async function send(method: 'GET' | 'POST', path: string, headers: Record<string, string>, body?: Buffer) {
    // A timer we clear, not AbortSignal.timeout: that one would keep the request (and its buffers)
    // reachable until it fires, long after the response was read.
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    let response: GitHttpResponse;
    let data: Buffer;
    try {
      try {
        response = await http.request({
          url: `${url}/${path}`,
          method,
          headers: { ...baseHeaders, ...headers },
          // The Node client sends an array as one buffer with a Content-Length, which some servers require.
          body: body === undefined ? undefined : ([body] as unknown as AsyncIterableIterator<Uint8Array>),
          signal: controller.signal,
        });
      } catch (cause) {
        throw new GitUnavailableError(`cannot reach ${url}: ${describe(cause, controller)}`, {
          cause,
          data: { url },
        });
      }
      data = await collect(response, url, controller);
    } finally {
      clearTimeout(timer);
    }
    const status = response.statusCode;
    if (status >= 200 && status < 300) return { data, contentType: header(response, 'content-type') };
    const context = { data: { url, status } };
    if (status === 401 || status === 403) {
      throw new GitAuthError(`${url} refused the credentials (HTTP ${status})`, context);
    }
    if (status === 404) throw new GitRefNotFoundError(`${url} is not a repository (HTTP 404)`, context);
    if (status === 408 || status === 429 || status >= 500) {
      throw new GitUnavailableError(`${url} is unavailable (HTTP ${status})`, context);
    }
    throw new GitConfigError(`${url} answered HTTP ${status}; is it a git repository?`, context);
  }

  async function infoRefs(service: GitService, headers: Record<string, string>): Promise<Buffer> {
    const { data, contentType } = await send('GET', `info/refs?service=${service}`, headers);
    if (contentType !== `application/x-${service}-advertisement`) {
      throw new GitProtocolError(`${url} does not speak smart HTTP (content type ${contentType ?? 'none'})`, {
        data: { url },
      });
    }
    return data;
  }

  return {
    async advertise(service) {
      return parseAdvertisement(await infoRefs(service, {}), service, url);
    },

    async discover() {
      const data = await infoRefs('git-upload-pack', V2);
      if (isV2Advertisement(data)) return { version: 2, capabilities: parseV2Capabilities(data) };
      return { version: 0, advertisement: parseAdvertisement(data, 'git-upload-pack', url) };
    },

    async post(service, body, options = {}) {
      const { data, contentType } = await send(
        'POST',
        service,
        {
          'Content-Type': `application/x-${service}-request`,
          Accept: `application/x-${service}-result`,
          ...(options.protocolV2 ? V2 : {}),
        },
        body,
      );
      if (contentType !== `application/x-${service}-result`) {
        throw new GitProtocolError(`${url} answered ${service} with ${contentType ?? 'no content type'}`, {
          data: { url },
        });
      }
      return data;
    },
  };
}

const V2 = { 'Git-Protocol': 'version=2' };

/** Parses `# service=…`, a flush, then `oid ref\0capabilities` and `oid ref` lines up to a flush. */
export function parseAdvertisement(data: Buffer, service: GitService, url: string): RefAdvertisement {
  const refs = new Map<string, string>();
  const capabilities = new Set<string>();
  let first = true;
  let sawService = false;
  for (const line of readPktLines(data)) {
    if (line.kind === 'flush') continue;
    const text = pktText(line.payload);
    if (!sawService && text === `# service=${service}`) {
      sawService = true;
      continue;
    }
    const nul = text.indexOf('\0');
    const refPart = nul >= 0 ? text.slice(0, nul) : text;
    if (first && nul >= 0) for (const cap of text.slice(nul + 1).split(' ')) if (cap) capabilities.add(cap);
    first = false;
    const [oid, name] = refPart.split(' ');
    if (!oid || !name || !/^[0-9a-f]{40}$/.test(oid)) {
      throw new GitProtocolError(`${url} sent a malformed ref advertisement`, { data: { url } });
    }
    // An empty repository advertises `capabilities^{}` with a zero oid; it is not a ref.
    if (name !== 'capabilities^{}') refs.set(name, oid);
  }
  if (!sawService) throw new GitProtocolError(`${url} sent no service line`, { data: { url } });
  return { refs, capabilities };
}

async function collect(response: GitHttpResponse, url: string, controller: AbortController): Promise<Buffer> {
  const chunks: Buffer[] = [];
  try {
    if (response.body) for await (const chunk of response.body) chunks.push(Buffer.from(chunk));
  } catch (cause) {
    throw new GitUnavailableError(`the connection to ${url} broke: ${describe(cause, controller)}`, {
      cause,
      data: { url },
    });
  }
  return Buffer.concat(chunks);
}

function header(response: GitHttpResponse, name: string): string | undefined {
  for (const [key, value] of Object.entries(response.headers ?? {})) {
    if (key.toLowerCase() === name) return value.split(';')[0]?.trim();
  }
  return undefined;
}

/** A cause's code or message: a network error never carries credentials (they travel in a header). */
function describe(cause: unknown, controller: AbortController): string {
  if (controller.signal.aborted) return 'timed out';
  if (cause instanceof Error) {
    const code = (cause as Error & { code?: unknown }).code;
    return typeof code === 'string' ? code : cause.name === 'Error' ? cause.message : cause.name;
  }
  return String(cause);
}
