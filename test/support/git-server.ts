import type { ChildProcess } from 'node:child_process';
import { appendFile, mkdir, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import type { GitRequest, GitServerAuth } from './git-cgi.ts';
import { gitCgiHandler } from './git-cgi.ts';
import type { CommandResult } from './processes.ts';
import { makeTempDir, removeTempDir, runCommand, stopChild } from './processes.ts';
import { requireTool } from './tools.ts';

export type { GitRequest, GitServerAuth };

/** A bare repository the server serves; `url` is what a client clones. */
export type GitRepo = { name: string; url: string; path: string };

export type CommitAuthor = { name: string; email: string };

export type CommitOptions = {
  /** Defaults to the repository's default branch; a new branch starts from that branch. */
  branch?: string;
  message?: string;
  author?: CommitAuthor;
  /** Author and committer date; pinned by default so SHAs are exact. */
  date?: Date | string;
};

export type LogEntry = { sha: string; message: string; author: CommitAuthor; date: string };

export type GitServer = {
  /** Base URL, e.g. `http://127.0.0.1:PORT`; a repo named `app` clones from `${url}/app.git`. */
  url: string;
  createRepo(name: string, options?: { defaultBranch?: string }): Promise<GitRepo>;
  /** Writes one commit (`null` deletes a file) with the git CLI and returns its SHA. */
  commitFiles(
    repo: string | GitRepo,
    files: Record<string, string | null>,
    options?: CommitOptions,
  ): Promise<string>;
  /** The file at `ref`, or undefined when the path is not in that tree. */
  readFile(repo: string | GitRepo, ref: string, path: string): Promise<string | undefined>;
  /** Commits reachable from `ref`, newest first; messages without their trailing newline. */
  log(repo: string | GitRepo, ref?: string): Promise<LogEntry[]>;
  /** Resolves a ref to a commit SHA, or undefined when it does not exist. */
  resolveRef(repo: string | GitRepo, ref: string): Promise<string | undefined>;
  /** Every request answered so far, oldest first; clear it with `requests.length = 0`. */
  requests: GitRequest[];
  close(): Promise<void>;
};

/** The author and date `commitFiles` uses unless told otherwise. */
export const DEFAULT_AUTHOR: CommitAuthor = { name: 'Ferry Test', email: 'test@ferry.invalid' };
export const DEFAULT_DATE = '2024-01-01T00:00:00Z';

/**
 * The environment every git child runs with: no system or user config and no prompts, so a test behaves
 * the same on every machine and a wrong password fails instead of waiting for a terminal.
 */
export function gitEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    LANG: 'C',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    GIT_ASKPASS: '',
    SSH_ASKPASS: '',
    ...extra,
  };
}

/** Runs the git CLI in that clean environment; throws with git's stderr on a non-zero exit. */
export async function git(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string | Buffer; allowFailure?: boolean } = {},
): Promise<CommandResult> {
  return await runCommand('git', args, { ...options, env: gitEnv(options.env) });
}

/**
 * Starts `git http-backend` behind a Node HTTP server on a free loopback port: real smart HTTP (protocol
 * v0 and v2, gzip'd requests, pushes) without a web server, with bare repos in a temp dir that live as
 * long as the server.
 */
export async function startGitServer(options: { auth?: GitServerAuth } = {}): Promise<GitServer> {
  requireTool('git', 'git');
  const backend = (await git(['--exec-path'])).stdout.toString('utf8').trim();
  const backendPath = join(backend, 'git-http-backend');
  await stat(backendPath).catch((cause: unknown) => {
    throw new Error(`\`git http-backend\` is missing at ${backendPath}: run \`apt-get install git\``, {
      cause,
    });
  });

  const root = await makeTempDir('ferry-git-');
  const requests: GitRequest[] = [];
  const running = new Set<ChildProcess>();

  const server = createServer(
    gitCgiHandler({ backendPath, root, auth: options.auth, requests, running, env: gitEnv() }),
  );
  server.keepAliveTimeout = 1_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const repoPath = (repo: string | GitRepo) =>
    typeof repo === 'string' ? join(root, bareName(repo)) : repo.path;
  const inRepo = (repo: string | GitRepo, args: string[], extra: Parameters<typeof git>[1] = {}) =>
    git(['--git-dir', repoPath(repo), ...args], extra);
  const resolveRef = async (repo: string | GitRepo, ref: string) => {
    const found = await inRepo(repo, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], {
      allowFailure: true,
    });
    return found.code === 0 ? found.stdout.toString('utf8').trim() : undefined;
  };

  return {
    url,
    requests,
    resolveRef,

    async createRepo(name, { defaultBranch = 'main' } = {}) {
      const path = join(root, bareName(name));
      await mkdir(dirname(path), { recursive: true });
      await git(['init', '--quiet', '--bare', `--initial-branch=${defaultBranch}`, path]);
      // Pushes over HTTP need receivepack even without REMOTE_USER; fetching a commit by SHA (as a
      // GitRepository with spec.ref.commit does) needs the reachable-SHA allowance under protocol v0.
      await appendFile(
        join(path, 'config'),
        '[http]\n\treceivepack = true\n[uploadpack]\n\tallowReachableSHA1InWant = true\n\tallowFilter = true\n',
      );
      return { name, url: `${url}/${bareName(name)}`, path };
    },

    async commitFiles(repo, files, commit = {}) {
      const branch = commit.branch ?? (await defaultBranchOf(inRepo, repo));
      const parent =
        (await resolveRef(repo, `refs/heads/${branch}`)) ??
        (await resolveRef(repo, `refs/heads/${await defaultBranchOf(inRepo, repo)}`));
      const author = commit.author ?? DEFAULT_AUTHOR;
      const when = `${Math.floor(new Date(commit.date ?? DEFAULT_DATE).getTime() / 1000)} +0000`;
      const message = withNewline(commit.message ?? 'Update files');
      const stream = [
        `commit refs/heads/${branch}`,
        `author ${author.name} <${author.email}> ${when}`,
        `committer ${author.name} <${author.email}> ${when}`,
        data(message),
        ...(parent ? [`from ${parent}`] : []),
        ...Object.entries(files).map(([path, content]) =>
          content === null ? `D ${quotePath(path)}` : `M 100644 inline ${quotePath(path)}\n${data(content)}`,
        ),
        'done',
        '',
      ].join('\n');
      await inRepo(repo, ['fast-import', '--quiet', '--done'], { input: stream });
      const sha = await resolveRef(repo, `refs/heads/${branch}`);
      if (!sha) throw new Error(`commitFiles wrote no commit on ${branch}`);
      return sha;
    },

    async readFile(repo, ref, path) {
      const sha = await resolveRef(repo, ref);
      if (!sha) throw new Error(`readFile: ${ref} does not name a commit in ${repoPath(repo)}`);
      const blob = await inRepo(repo, ['cat-file', 'blob', `${sha}:${path}`], { allowFailure: true });
      return blob.code === 0 ? blob.stdout.toString('utf8') : undefined;
    },

    async log(repo, ref = 'HEAD') {
      const out = await inRepo(repo, ['log', '--format=%H%x1f%an%x1f%ae%x1f%aI%x1f%B%x1e', ref, '--']);
      return out.stdout
        .toString('utf8')
        .split('\x1e')
        .map((entry) => entry.replace(/^\n/, ''))
        .filter((entry) => entry !== '')
        .map((entry) => {
          const [sha = '', name = '', email = '', date = '', message = ''] = entry.split('\x1f');
          return { sha, message: message.trimEnd(), author: { name, email }, date };
        });
    },

    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all([...running].map((child) => stopChild(child)));
      await removeTempDir(root);
    },
  };
}

function bareName(name: string): string {
  const trimmed = name.replace(/^\/+|\/+$/g, '');
  if (trimmed === '' || trimmed.split('/').includes('..')) throw new Error(`bad repository name: ${name}`);
  return trimmed.endsWith('.git') ? trimmed : `${trimmed}.git`;
}

async function defaultBranchOf(
  inRepo: (repo: string | GitRepo, args: string[]) => Promise<CommandResult>,
  repo: string | GitRepo,
): Promise<string> {
  const head = await inRepo(repo, ['symbolic-ref', '--short', 'HEAD']);
  return head.stdout.toString('utf8').trim();
}

/** A fast-import `data` block: exact byte count, so content may hold any text. */
function data(content: string): string {
  return `data ${Buffer.byteLength(content, 'utf8')}\n${content}`;
}

function withNewline(message: string): string {
  return message.endsWith('\n') ? message : `${message}\n`;
}

function quotePath(path: string): string {
  return `"${path.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}
