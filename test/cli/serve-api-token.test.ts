/**
 * Where `ferry serve` takes the /api/v1 token from, driven as a user runs it: a process started with
 * `--api-token-file` or FERRY_API_TOKEN, and asked over HTTP.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freePort, waitFor } from '../support/ports.ts';

const root = resolve(import.meta.dirname, '../..');
const node = join(root, 'node_modules/.bin/node');
const bin = join(root, 'bin/ferry.js');

const FILE_TOKEN = 'file-token-3b9d51';
const ENV_TOKEN = 'env-token-0c7a42';

/** A Provider only: nothing for the workers to fetch, so the process does no work of its own. */
const CONFIG = `apiVersion: notification.toolkit.fluxcd.io/v1beta3
kind: Provider
metadata: { name: chat }
spec: { type: generic }
`;

describe('ferry serve and the API token', () => {
  let dir: string;
  let child: ChildProcess | undefined;
  let output = '';

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ferry-api-token-'));
    await mkdir(join(dir, 'config'));
    await writeFile(join(dir, 'config', 'config.yaml'), CONFIG);
    output = '';
  });
  afterEach(async () => {
    // Stopping cleanly is ferry-process.test.ts's business; here it would only wait out the workers' polls.
    if (child && child.exitCode === null) {
      const exited = new Promise((done) => child?.once('exit', done));
      child.kill('SIGKILL');
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  });

  const serve = async (args: string[], env: Record<string, string> = {}) => {
    const port = await freePort();
    const { FERRY_API_TOKEN: _, ...inherited } = process.env;
    child = spawn(
      node,
      [
        bin,
        'serve',
        '--config',
        join(dir, 'config'),
        '--state',
        join(dir, `state-${port}`),
        '--listen',
        `127.0.0.1:${port}`,
        ...args,
      ],
      { cwd: dir, env: { ...inherited, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout?.on('data', (d) => {
      output += d;
    });
    child.stderr?.on('data', (d) => {
      output += d;
    });
    const url = `http://127.0.0.1:${port}`;
    await waitFor(
      'ferry serve',
      async () => (await fetch(`${url}/healthz`).catch(() => undefined))?.ok === true,
      20_000,
    );
    return (token: string) =>
      fetch(`${url}/api/v1/objects`, { headers: { Authorization: `Bearer ${token}` } });
  };

  it('takes the token from --api-token-file over FERRY_API_TOKEN', async () => {
    await writeFile(join(dir, 'api-token'), `${FILE_TOKEN}\n`);
    const ask = await serve(['--api-token-file', join(dir, 'api-token')], { FERRY_API_TOKEN: ENV_TOKEN });
    expect((await ask(FILE_TOKEN)).status).toBe(200);
    expect((await ask(ENV_TOKEN)).status).toBe(401);
    expect(output).not.toContain(FILE_TOKEN);
  });

  it('takes the token from FERRY_API_TOKEN, and keeps the API closed without one', async () => {
    const ask = await serve([], { FERRY_API_TOKEN: ENV_TOKEN });
    const answer = await ask(ENV_TOKEN);
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject([{ object: { kind: 'Provider', metadata: { name: 'chat' } } }]);
    const exited = new Promise((done) => child?.once('exit', done));
    child?.kill('SIGKILL');
    await exited;

    const closed = await serve([]);
    expect((await closed(ENV_TOKEN)).status).toBe(403);
  });

  it('refuses to start with an empty token file', async () => {
    await writeFile(join(dir, 'api-token'), '\n');
    child = spawn(
      node,
      [bin, 'serve', '--config', join(dir, 'config'), '--api-token-file', join(dir, 'api-token')],
      {
        cwd: dir,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stderr?.on('data', (d) => {
      output += d;
    });
    const code = await new Promise((done) => child?.once('exit', done));
    expect(code).toBe(1);
    expect(output).toContain(`--api-token-file: ${join(dir, 'api-token')} is empty`);
  });
});
