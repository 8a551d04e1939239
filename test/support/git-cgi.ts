import type { ChildProcess } from 'node:child_process';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { spawnTracked } from './processes.ts';

/** Basic credentials, or a bearer token sent as `Authorization: Bearer <token>`. */
export type GitServerAuth = { username: string; password: string } | { bearerToken: string };

/** One HTTP request the server answered, kept so tests can assert how a client talked to it. */
export type GitRequest = {
  method: string;
  path: string;
  query: string;
  status: number;
  /** `info/refs?service=…` or the POSTed service, e.g. `git-upload-pack`. */
  service: string | undefined;
  /** The `Git-Protocol` header, e.g. `version=2`. */
  gitProtocol: string | undefined;
  contentEncoding: string | undefined;
  bytesIn: number;
  bytesOut: number;
};

/**
 * The HTTP side of the test git server: authenticates, then runs `git http-backend` as a CGI script per
 * request and streams both ways, recording each request. Every child it starts joins `running`.
 */
export function gitCgiHandler(options: {
  backendPath: string;
  root: string;
  auth: GitServerAuth | undefined;
  requests: GitRequest[];
  running: Set<ChildProcess>;
  env: NodeJS.ProcessEnv;
}): RequestListener {
  const { backendPath, root, auth, requests, running, env } = options;
  return function handleGitRequest(req, res) {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const record: GitRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.search.slice(1),
      status: 0,
      service: url.searchParams.get('service') ?? serviceOf(url.pathname),
      gitProtocol: header(req, 'git-protocol'),
      contentEncoding: header(req, 'content-encoding'),
      bytesIn: 0,
      bytesOut: 0,
    };
    // Recorded once the response is written ('finish'), or when the client went away first ('close').
    const done = () => {
      if (record.status !== 0) return;
      record.status = res.statusCode;
      requests.push(record);
    };
    res.once('finish', done);
    res.once('close', done);
    const user = authenticate(req, auth);
    if (user === undefined) {
      const scheme = auth && 'bearerToken' in auth ? 'Bearer' : 'Basic';
      res.writeHead(401, { 'WWW-Authenticate': `${scheme} realm="ferry"`, 'Content-Type': 'text/plain' });
      res.end('authentication required\n');
      return;
    }
    const child = spawnTracked(backendPath, [], {
      env: cgiEnv(req, url, root, user, env),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    running.add(child);
    child.once('exit', () => running.delete(child));
    serveCgi(req, res, child, record);
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

function serviceOf(pathname: string): string | undefined {
  const match = /\/(git-upload-pack|git-receive-pack)$/.exec(pathname);
  return match?.[1];
}

/** The REMOTE_USER for a request, '' when the server is open, undefined when it must be refused. */
function authenticate(req: IncomingMessage, auth: GitServerAuth | undefined): string | undefined {
  if (!auth) return '';
  const given = req.headers.authorization ?? '';
  if ('bearerToken' in auth) return given === `Bearer ${auth.bearerToken}` ? 'bearer' : undefined;
  if (!given.startsWith('Basic ')) return undefined;
  const decoded = Buffer.from(given.slice('Basic '.length), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const [username, password] = [decoded.slice(0, colon), decoded.slice(colon + 1)];
  return colon >= 0 && username === auth.username && password === auth.password ? username : undefined;
}

/** The CGI/1.1 variables `git http-backend` reads, over a clean git environment. */
function cgiEnv(
  req: IncomingMessage,
  url: URL,
  root: string,
  user: string,
  base: NodeJS.ProcessEnv,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...base,
    GIT_PROJECT_ROOT: root,
    GIT_HTTP_EXPORT_ALL: '1',
    GATEWAY_INTERFACE: 'CGI/1.1',
    SERVER_PROTOCOL: `HTTP/${req.httpVersion}`,
    SERVER_SOFTWARE: 'ferry-test-git-server',
    SERVER_NAME: '127.0.0.1',
    SERVER_PORT: String(req.socket.localPort ?? ''),
    REMOTE_ADDR: req.socket.remoteAddress ?? '127.0.0.1',
    REQUEST_METHOD: req.method ?? 'GET',
    PATH_INFO: decodeURIComponent(url.pathname),
    QUERY_STRING: url.search.slice(1),
  };
  const copy: Record<string, string> = {
    'content-type': 'CONTENT_TYPE',
    'content-length': 'CONTENT_LENGTH',
    'content-encoding': 'HTTP_CONTENT_ENCODING',
    'git-protocol': 'GIT_PROTOCOL',
  };
  for (const [name, variable] of Object.entries(copy)) {
    const value = header(req, name);
    if (value !== undefined) env[variable] = value;
  }
  if (user !== '') {
    env.REMOTE_USER = user;
    env.AUTH_TYPE = req.headers.authorization?.split(' ')[0];
  }
  return env;
}

/** Streams the request into the CGI child and its output, headers parsed (Status included), back out. */
function serveCgi(req: IncomingMessage, res: ServerResponse, child: ChildProcess, record: GitRequest): void {
  const stderr: Buffer[] = [];
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
  child.stdin?.on('error', () => {});
  req.on('data', (chunk: Buffer) => {
    record.bytesIn += chunk.length;
  });
  req.pipe(child.stdin!);

  let head = Buffer.alloc(0);
  let headersSent = false;
  const send = (chunk: Buffer) => {
    record.bytesOut += chunk.length;
    if (!res.write(chunk)) {
      child.stdout?.pause();
      res.once('drain', () => child.stdout?.resume());
    }
  };
  child.stdout?.on('data', (chunk: Buffer) => {
    if (headersSent) return send(chunk);
    head = Buffer.concat([head, chunk]);
    const end = headerEnd(head);
    if (!end) return;
    const { status, headers } = parseCgiHeaders(head.subarray(0, end.at).toString('latin1'));
    res.writeHead(status, headers);
    headersSent = true;
    const rest = head.subarray(end.at + end.length);
    if (rest.length > 0) send(rest);
  });
  child.once('close', (code) => {
    if (!headersSent) {
      const reason = Buffer.concat(stderr).toString('utf8') || `git http-backend exited with ${code}`;
      res.writeHead(502, { 'Content-Type': 'text/plain' });
      res.end(reason);
      return;
    }
    res.end();
  });
  res.once('close', () => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
}

function headerEnd(head: Buffer): { at: number; length: number } | undefined {
  const crlf = head.indexOf('\r\n\r\n');
  const lf = head.indexOf('\n\n');
  if (crlf >= 0 && (lf < 0 || crlf < lf)) return { at: crlf, length: 4 };
  if (lf >= 0) return { at: lf, length: 2 };
  return undefined;
}

/** CGI headers as Node's flat raw list, which keeps repeated names; `Status:` becomes the status code. */
function parseCgiHeaders(text: string): { status: number; headers: string[] } {
  let status = 200;
  const headers: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10) || 500;
    else headers.push(name, value);
  }
  return { status, headers };
}
