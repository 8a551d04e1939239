/**
 * Local HTTP servers standing in for the receivers of alerts (Slack, Discord, Teams, GitHub, GitLab
 * and generic webhooks), which tests cannot run: each records every request it gets (method, path,
 * headers, exact body) and answers as scripted, 200 by default, or with the documented rate-limit
 * answers, a 5xx, a 400 with a body, or too late. A tiny forward proxy counts what goes through it.
 */
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect, type Socket } from 'node:net';

export interface RecordedRequest {
  method: string;
  /** Path and query, as the client sent them. */
  path: string;
  headers: IncomingHttpHeaders;
  /** The exact body bytes, as UTF-8. */
  body: string;
  json: () => unknown;
}

export interface ScriptedAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
  /** Wait this long before answering (to run past a client's timeout). */
  delayMs?: number;
}

/** The answers the tests script, shaped as each service documents them. */
export const answers = {
  ok: (body = 'ok', headers: Record<string, string> = {}): ScriptedAnswer => ({ status: 200, body, headers }),
  json: (status: number, value: unknown): ScriptedAnswer => ({
    status,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(value),
  }),
  /** Slack: HTTP 429 with a Retry-After header in seconds. */
  slackRateLimited: (seconds: number): ScriptedAnswer => ({
    status: 429,
    headers: { 'retry-after': String(seconds) },
    body: 'rate_limited',
  }),
  /** Discord: HTTP 429 with `retry_after` (seconds, fractional) in a JSON body. */
  discordRateLimited: (seconds: number): ScriptedAnswer => ({
    status: 429,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ message: 'You are being rate limited.', retry_after: seconds, global: false }),
  }),
  serverError: (status = 503): ScriptedAnswer => ({ status, body: 'upstream unavailable' }),
  badRequest: (body: string): ScriptedAnswer => ({ status: 400, body }),
  slow: (delayMs: number): ScriptedAnswer => ({ status: 200, body: 'too late', delayMs }),
};

export class ReceiverStandin {
  readonly requests: RecordedRequest[] = [];
  readonly #server: Server;
  readonly #script: ScriptedAnswer[] = [];
  #fallback: ScriptedAnswer = answers.ok();
  readonly #timers = new Set<NodeJS.Timeout>();

  private constructor(server: Server) {
    this.#server = server;
  }

  /**
   * Starts a stand-in on 127.0.0.1, at `port` or one the OS picks; a receiver that was down comes back
   * by starting again on its old port.
   */
  static async start(port = 0): Promise<ReceiverStandin> {
    const standin = new ReceiverStandin(createServer());
    standin.#server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () =>
        standin.#answer(req.method ?? '', req.url ?? '', req.headers, Buffer.concat(chunks), res),
      );
    });
    await new Promise<void>((resolve) => standin.#server.listen(port, '127.0.0.1', resolve));
    return standin;
  }

  /** `http://127.0.0.1:<port>` */
  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get port(): number {
    return (this.#server.address() as AddressInfo).port;
  }

  /** Answers the next requests with these, in order; then the fallback again. */
  script(...next: ScriptedAnswer[]): this {
    this.#script.push(...next);
    return this;
  }

  /** Forgets what was received and what was scripted (the fallback stays). */
  reset(): this {
    this.requests.length = 0;
    this.#script.length = 0;
    return this;
  }

  /** What every request gets when nothing is scripted. */
  answerAlways(answer: ScriptedAnswer): this {
    this.#fallback = answer;
    return this;
  }

  async close(): Promise<void> {
    for (const t of this.#timers) clearTimeout(t);
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #answer(
    method: string,
    path: string,
    headers: IncomingHttpHeaders,
    body: Buffer,
    res: ServerResponse,
  ): void {
    const text = body.toString('utf8');
    this.requests.push({ method, path, headers, body: text, json: () => JSON.parse(text) });
    const answer = this.#script.shift() ?? this.#fallback;
    const send = () => {
      if (res.destroyed) return;
      res.writeHead(answer.status, answer.headers ?? {});
      res.end(answer.body ?? '');
    };
    if (!answer.delayMs) {
      send();
      return;
    }
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      send();
    }, answer.delayMs);
    this.#timers.add(timer);
  }
}

/** An HTTP forward proxy: CONNECT tunnels and absolute-URI requests, counted by target. */
export class ForwardProxy {
  /** `host:port` of every CONNECT, in order. */
  readonly connects: string[] = [];
  /** Absolute URIs of plain proxied requests. */
  readonly forwarded: string[] = [];
  /** Proxy-Authorization headers seen, decoded. */
  readonly credentials: string[] = [];
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();

  private constructor(server: Server) {
    this.#server = server;
  }

  static async start(): Promise<ForwardProxy> {
    const proxy = new ForwardProxy(createServer());
    const server = proxy.#server;
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      proxy.#note(req.headers);
      proxy.forwarded.push(req.url ?? '');
      const target = new URL(req.url ?? '');
      const upstream = connect(Number(target.port || 80), target.hostname, () => {
        upstream.write(`${req.method} ${target.pathname}${target.search} HTTP/1.1\r\n`);
        for (let i = 0; i < req.rawHeaders.length; i += 2) {
          const name = req.rawHeaders[i] ?? '';
          if (!/^proxy-/i.test(name)) upstream.write(`${name}: ${req.rawHeaders[i + 1]}\r\n`);
        }
        upstream.write('Connection: close\r\n\r\n');
        req.pipe(upstream);
        upstream.pipe(res.socket as Socket);
      });
      upstream.on('error', () => res.destroy());
    });
    server.on('connect', (req, client: Socket, head: Buffer) => {
      proxy.#note(req.headers);
      proxy.connects.push(req.url ?? '');
      const [host, port] = (req.url ?? '').split(':');
      const upstream = connect(Number(port), host ?? '', () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(client);
        client.pipe(upstream);
      });
      for (const s of [client, upstream]) {
        proxy.#sockets.add(s);
        s.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  /** `http://127.0.0.1:<port>` */
  get origin(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    for (const s of this.#sockets) s.destroy();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #note(headers: IncomingHttpHeaders): void {
    const auth = headers['proxy-authorization'];
    if (typeof auth === 'string' && auth.startsWith('Basic ')) {
      this.credentials.push(Buffer.from(auth.slice(6), 'base64').toString('utf8'));
    }
  }
}
