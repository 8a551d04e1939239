import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** What a finished command left behind; `stdout` stays bytes because git objects need not be text. */
export type CommandResult = { code: number; stdout: Buffer; stderr: string };

/** Thrown when a command a test server relies on exits non-zero; carries its stderr for the report. */
export class CommandFailedError extends Error {
  override readonly name = 'CommandFailedError';
  readonly command: string;
  readonly code: number;
  readonly stderr: string;

  constructor(command: string, code: number, stderr: string) {
    super(`\`${command}\` exited with ${code}: ${stderr.trim() || '(no stderr)'}`);
    this.command = command;
    this.code = code;
    this.stderr = stderr;
  }
}

const children = new Set<ChildProcess>();
const tempDirs = new Set<string>();
let hooked = false;

/**
 * Kills what is still running when the test worker goes away, so a crashed or interrupted run leaves no
 * registry listening on a port and no temp dir behind. A signal is re-raised after cleanup when nobody
 * else handles it, keeping the default "terminate" behaviour.
 */
function hookExit(): void {
  if (hooked) return;
  hooked = true;
  const cleanup = () => {
    for (const child of children) child.kill('SIGKILL');
    children.clear();
    for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
    tempDirs.clear();
  };
  process.once('exit', cleanup);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = () => {
      cleanup();
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    };
    process.once(signal, onSignal);
  }
}

/** Spawns a child that is killed when the test process exits, whatever way it exits. */
export function spawnTracked(command: string, args: string[], options: SpawnOptions): ChildProcess {
  hookExit();
  const child = spawn(command, args, options);
  children.add(child);
  child.once('exit', () => children.delete(child));
  child.once('error', () => children.delete(child));
  return child;
}

/** Kills a tracked child and waits until it is gone (SIGKILL after a grace period). */
export async function stopChild(child: ChildProcess, graceMs = 2_000): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Runs a command to completion, feeding `input` on stdin; fails with its stderr unless `allowFailure`. */
export async function runCommand(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string | Buffer; allowFailure?: boolean } = {},
): Promise<CommandResult> {
  const child = spawnTracked(command, args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
  // A child that exits before reading all of stdin makes the pipe error; its exit code tells the story.
  child.stdin?.on('error', () => {});
  child.stdin?.end(options.input ?? '');
  const code = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (exitCode, signal) => resolve(exitCode ?? (signal ? 128 : 1)));
  });
  const result = { code, stdout: Buffer.concat(stdout), stderr: Buffer.concat(stderr).toString('utf8') };
  if (code !== 0 && !options.allowFailure) {
    throw new CommandFailedError([command, ...args].join(' '), code, result.stderr);
  }
  return result;
}

/** A fresh temp dir that is removed on `removeTempDir` or, failing that, when the process exits. */
export async function makeTempDir(prefix: string): Promise<string> {
  hookExit();
  const dir = await mkdtemp(join(tmpdir(), prefix));
  tempDirs.add(dir);
  return dir;
}

/** Removes a dir made by `makeTempDir`. */
export async function removeTempDir(dir: string): Promise<void> {
  tempDirs.delete(dir);
  await rm(dir, { recursive: true, force: true });
}
