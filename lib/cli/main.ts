/**
 * The `ferry` command. `runCli` takes the arguments and returns the exit code, writing through the
 * given streams, so that tests drive it like a user without spawning a process.
 */
import { readFile } from 'node:fs/promises';
import { delimiter, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_NAMESPACE } from '../config/index.ts';
import { JobEnqueuer } from '../jobs/enqueuer.ts';
import { createLogger } from '../observe/logger.ts';
import { devClusterCommand } from './dev-cluster.ts';
import { readEvents, renderEvents } from './events.ts';
import type { GetOptions } from './get.ts';
import { getObjects, renderObjects } from './get.ts';
import { requestReconcile } from './reconcile.ts';
import { parseListen, serveCommand } from './serve.ts';
import { DEFAULT_STATE_DIR, openExistingQueues, openExistingState } from './state-dir.ts';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const USAGE = `ferry: GitOps for Kubernetes as webhook-driven functions, speaking the Flux v2 API

Usage:
  ferry serve --config DIR [--listen HOST:PORT] [--state DIR] [--kubeconfig FILE] [--sync-tag NAME]
              [--api-token-file FILE]   (or FERRY_API_TOKEN: the bearer token /api/v1 requires)
  ferry get <kind|all> [name] [-n NAMESPACE | -A] [-o table|json] [--state DIR]
  ferry reconcile <kind> <name> [-n NAMESPACE] [--state DIR]
  ferry events [--for KIND[/NAME]] [-n NAMESPACE] [--limit N] [--json] [--state DIR]
  ferry dev-cluster [--listen HOST:PORT] [--kubeconfig-out FILE]   (an in-memory Kubernetes API simulator)

Defaults: --listen 127.0.0.1:3030, --state ${DEFAULT_STATE_DIR}, namespace ${DEFAULT_NAMESPACE}.
Kinds: GitRepository (gitrepo), Kustomization (ks), ImageRepository (imagerepo), ImagePolicy,
       ImageUpdateAutomation (imageupdate), Provider, Alert, Receiver; plurals work too.`;

const stdio: CliIo = {
  stdout: (t) => process.stdout.write(`${t}\n`),
  stderr: (t) => process.stderr.write(`${t}\n`),
};

export async function runCli(argv: string[], io: CliIo = stdio): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'serve':
        return await serve(rest, io);
      case 'get':
        return await get(rest, io);
      case 'reconcile':
        return await reconcile(rest, io);
      case 'events':
        return await events(rest, io);
      case 'dev-cluster':
        return await devClusterCommand(rest, io);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.stdout(USAGE);
        return command === undefined ? 2 : 0;
      default:
        io.stderr(`ferry: unknown command "${command}"\n\n${USAGE}`);
        return 2;
    }
  } catch (error) {
    io.stderr(`ferry ${command}: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

async function serve(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      config: { type: 'string' },
      listen: { type: 'string', default: '127.0.0.1:3030' },
      state: { type: 'string', default: DEFAULT_STATE_DIR },
      kubeconfig: { type: 'string' },
      'sync-tag': { type: 'string' },
      'api-token-file': { type: 'string' },
    },
  });
  if (!values.config) throw new Error('--config DIR is required: the directory holding your Flux objects');
  const listen = parseListen(values.listen);
  const apiToken = await readApiToken(values['api-token-file']);
  const started = await serveCommand(
    {
      configDir: resolve(values.config),
      stateDir: resolve(values.state),
      host: listen.host,
      port: listen.port,
      ...defaultCluster(values.kubeconfig),
      ...(values['sync-tag'] ? { syncTag: values['sync-tag'] } : {}),
      ...(apiToken ? { apiToken } : {}),
    },
    createLogger(),
    io.stderr,
  );
  return typeof started === 'number' ? started : await started.done;
}

/**
 * The token /api/v1 requires: the file's content, else FERRY_API_TOKEN, else none (the API stays
 * closed). A file given but empty is an error rather than a silently closed API.
 */
async function readApiToken(file: string | undefined): Promise<string | undefined> {
  if (file) {
    const token = (await readFile(resolve(file), 'utf8')).trim();
    if (token === '') throw new Error(`--api-token-file: ${file} is empty`);
    return token;
  }
  return process.env.FERRY_API_TOKEN?.trim() || undefined;
}

/**
 * The cluster Kustomizations without a kubeConfig apply to: `--kubeconfig`, else `KUBECONFIG` (one
 * file), else the pod's service account when ferry runs in a cluster, else none.
 */
function defaultCluster(flag: string | undefined): { kubeconfig?: string; inCluster?: boolean } {
  if (flag) return { kubeconfig: resolve(flag) };
  const env = process.env.KUBECONFIG;
  if (env) {
    const files = env.split(delimiter).filter((f) => f !== '');
    if (files.length > 1)
      throw new Error('KUBECONFIG lists several files; ferry reads one: pass --kubeconfig FILE');
    if (files[0]) return { kubeconfig: resolve(files[0]) };
  }
  return process.env.KUBERNETES_SERVICE_HOST ? { inCluster: true } : {};
}

function scopeOptions(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    options: {
      namespace: { type: 'string', short: 'n' },
      'all-namespaces': { type: 'boolean', short: 'A', default: false },
      output: { type: 'string', short: 'o', default: 'table' },
      state: { type: 'string', default: DEFAULT_STATE_DIR },
    },
  });
}

async function get(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = scopeOptions(args);
  const [kind, name] = positionals;
  if (!kind) throw new Error('which kind? e.g. `ferry get kustomizations` or `ferry get all`');
  const output = values.output === 'json' ? 'json' : 'table';
  if (values.output !== output) throw new Error('-o must be table or json');
  const namespace = values['all-namespaces']
    ? undefined
    : (values.namespace ?? (name ? DEFAULT_NAMESPACE : undefined));
  const store = await openExistingState(resolve(values.state));
  try {
    const options: GetOptions = {
      kind,
      output,
      ...(name ? { name } : {}),
      ...(namespace ? { namespace } : {}),
    };
    const rows = await getObjects(store, options);
    io.stdout(renderObjects(rows, options));
    return name && rows.length === 0 ? 1 : 0;
  } finally {
    await store.close();
  }
}

async function reconcile(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = scopeOptions(args);
  const [kind, name] = positionals;
  if (!kind || !name) throw new Error('usage: ferry reconcile <kind> <name> [-n NAMESPACE]');
  const namespace = values.namespace ?? DEFAULT_NAMESPACE;
  const dir = resolve(values.state);
  const store = await openExistingState(dir);
  const queues = await openExistingQueues(dir);
  try {
    const job = await requestReconcile(store, new JobEnqueuer(queues), { kind, name, namespace });
    io.stdout(`► ${job.kind} job enqueued for ${kind} ${namespace}/${name}`);
    return 0;
  } finally {
    await queues.close();
    await store.close();
  }
}

async function events(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      for: { type: 'string' },
      namespace: { type: 'string', short: 'n' },
      limit: { type: 'string', default: '100' },
      json: { type: 'boolean', default: false },
      state: { type: 'string', default: DEFAULT_STATE_DIR },
    },
  });
  const limit = Number(values.limit);
  if (!Number.isSafeInteger(limit) || limit < 1)
    throw new Error(`--limit must be a positive number; got "${values.limit}"`);
  // An object named without a namespace is looked for where `ferry get` looks: the default namespace.
  const namespace = values.namespace ?? (values.for?.includes('/') ? DEFAULT_NAMESPACE : undefined);
  const options = {
    limit,
    output: values.json ? ('json' as const) : ('table' as const),
    ...(values.for ? { for: values.for } : {}),
    ...(namespace ? { namespace } : {}),
  };
  const store = await openExistingState(resolve(values.state));
  try {
    io.stdout(renderEvents(await readEvents(store, options), options));
    return 0;
  } finally {
    await store.close();
  }
}
