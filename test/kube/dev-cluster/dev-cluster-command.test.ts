import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { devClusterCommand } from '../../../lib/cli/dev-cluster.ts';
import { silentLogger } from '../../../lib/observe/logger.ts';
import { freePort, waitFor } from '../../support/ports.ts';

const root = resolve(import.meta.dirname, '../../..');

describe('ferry dev-cluster command', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ferry-dev-cluster-cli-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('listens where told, writes a kubeconfig for itself, says it is a simulator, and stops when asked', async () => {
    const port = await freePort();
    const lines: string[] = [];
    const io = { stdout: (t: string) => lines.push(t), stderr: (t: string) => lines.push(t) };
    const stop = new AbortController();
    const kubeconfig = join(dir, 'kubeconfig');
    const exit = devClusterCommand(['--listen', `127.0.0.1:${port}`, '--kubeconfig-out', kubeconfig], io, {
      log: silentLogger(),
      signal: stop.signal,
    });
    await waitFor('the startup line', async () => lines.length > 0, 5_000);
    expect((await fetch(`http://127.0.0.1:${port}/version`)).ok).toBe(true);
    const config = parse(await readFile(kubeconfig, 'utf8'));
    expect(config['current-context']).toBe('ferry-dev-cluster');
    expect(config.clusters[0].cluster.server).toBe(`http://127.0.0.1:${port}`);
    expect(lines[0]).toContain('an in-memory Kubernetes API simulator, not a real cluster');
    stop.abort();
    expect(await exit).toBe(0);
    await expect(fetch(`http://127.0.0.1:${port}/version`)).rejects.toThrow();
  });

  it('gives a loopback URL when it listens on every interface', async () => {
    const port = await freePort();
    const stop = new AbortController();
    const kubeconfig = join(dir, 'kubeconfig');
    const lines: string[] = [];
    const io = { stdout: (t: string) => lines.push(t), stderr: (t: string) => lines.push(t) };
    const exit = devClusterCommand(
      [`--listen=:${port}`, '--kubeconfig-out', kubeconfig, '--rollout-delay', '0'],
      io,
      {
        log: silentLogger(),
        signal: stop.signal,
      },
    );
    await waitFor('the startup line', async () => lines.length > 0, 5_000);
    expect(parse(await readFile(kubeconfig, 'utf8')).clusters[0].cluster.server).toBe(
      `http://127.0.0.1:${port}`,
    );
    stop.abort();
    expect(await exit).toBe(0);
  });

  it('refuses a malformed --listen', async () => {
    const io = { stdout: () => {}, stderr: () => {} };
    await expect(devClusterCommand(['--listen', 'nonsense'], io)).rejects.toThrow(
      '--listen: expected HOST:PORT',
    );
  });

  it('exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const script = `import { devClusterCommand } from './lib/cli/dev-cluster.ts';
const io = { stdout: (t) => console.log(t), stderr: (t) => console.error(t) };
process.exitCode = await devClusterCommand(['--listen', '127.0.0.1:${port}'], io);`;
    const child = spawn(join(root, 'node_modules/.bin/node'), ['--input-type=module', '-e', script], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, FERRY_LOG_LEVEL: 'info' },
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    await waitFor(
      'the simulator process',
      async () => (await fetch(`http://127.0.0.1:${port}/api`)).ok,
      10_000,
    );
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output).toContain('not a real cluster');
    expect(output).toContain('stopped');
  });
});
