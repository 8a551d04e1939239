import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freePort, waitFor } from '../support/ports.ts';

const root = resolve(import.meta.dirname, '../..');
const node = join(root, 'node_modules/.bin/node');
const bin = join(root, 'bin/ferry.js');

interface Run {
  child: ChildProcess;
  output: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function ferry(args: string[], cwd: string): Run {
  const child = spawn(node, [bin, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d) => {
    output += d;
  });
  child.stderr?.on('data', (d) => {
    output += d;
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.on('exit', (code, signal) => done({ code, signal })),
  );
  return { child, output: () => output, exit };
}

describe('the ferry command', () => {
  let dir: string;
  let run: Run | undefined;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ferry-cli-'));
  });

  afterEach(async () => {
    if (run && run.child.exitCode === null) run.child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  it('serves the quick-start config and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    run = ferry(
      ['serve', '--config', join(root, 'examples/quickstart'), '--listen', `127.0.0.1:${port}`],
      dir,
    );
    await waitFor(
      'ferry serve',
      async () => (await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined))?.status === 200,
      20_000,
    );
    const line = run
      .output()
      .split('\n')
      .find((l) => l.includes('ferry is serving'));
    expect(JSON.parse(line ?? '{}')).toMatchObject({
      level: 'info',
      url: `http://127.0.0.1:${port}`,
      objects: 10,
    });

    run.child.kill('SIGTERM');
    expect(await run.exit).toEqual({ code: 0, signal: null });
    expect(run.output()).toContain('ferry stopped');
  });

  it('exits 1 on a bad config, printing every problem and starting nothing', async () => {
    const config = join(dir, 'config');
    await cp(join(root, 'examples/quickstart'), config, { recursive: true });
    await writeFile(
      join(config, 'bad.yaml'),
      [
        'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: { name: bad }',
        'spec: { interval: soon, prune: true, sourceRef: { kind: GitRepository, name: fleet } }',
        '---',
        'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: { name: orphan }',
        'spec: { interval: 5m, prune: true, sourceRef: { kind: GitRepository, name: missing } }',
      ].join('\n'),
    );
    run = ferry(['serve', '--config', config, '--listen', `127.0.0.1:${await freePort()}`], dir);
    expect((await run.exit).code).toBe(1);
    const out = run.output();
    expect(out).toContain('is not valid; nothing was started');
    expect(out).toMatch(/bad\.yaml#0 Kustomization\/flux-system\/bad spec\.interval: /);
    expect(out).toMatch(
      /bad\.yaml#1 Kustomization\/flux-system\/orphan spec\.sourceRef: GitRepository flux-system\/missing does not exist/,
    );
    expect(out).not.toContain('ferry is serving');
  });

  it('tells a user without state where it comes from', async () => {
    run = ferry(['get', 'ks'], dir);
    expect((await run.exit).code).toBe(1);
    expect(run.output()).toContain('no ferry state at');
  });

  it('runs the dev-cluster simulator, says it is one, and stops on SIGTERM', async () => {
    const port = await freePort();
    const kubeconfig = join(dir, 'kubeconfig');
    run = ferry(['dev-cluster', '--listen', `127.0.0.1:${port}`, '--kubeconfig-out', kubeconfig], dir);
    await waitFor(
      'ferry dev-cluster',
      async () => (await fetch(`http://127.0.0.1:${port}/version`).catch(() => undefined))?.ok === true,
      20_000,
    );
    const response = await fetch(`http://127.0.0.1:${port}/api/v1/namespaces`);
    expect(response.status).toBe(200);
    expect(run.output()).toContain('simulator, not a real cluster');
    expect(existsSync(kubeconfig)).toBe(true);
    run.child.kill('SIGTERM');
    expect(await run.exit).toEqual({ code: 0, signal: null });
  });

  it('prints usage for an unknown command and exits 2', async () => {
    run = ferry(['deploy'], dir);
    expect((await run.exit).code).toBe(2);
    expect(run.output()).toContain('unknown command "deploy"');
    expect(run.output()).toContain('ferry serve --config DIR');
  });
});
