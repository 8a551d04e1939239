/**
 * Cold start of each Lambda function, bundled as deployed (scripts/bundle-functions.ts):
 *
 * - size: the minified bytes of the function's package (its entry and every chunk) against the
 *   1 MB budget, taken as 1 MiB (1,048,576 bytes); the apply worker is exempt (it carries the
 *   Kubernetes client);
 * - module init: importing the entry in a fresh `node` process (the median of several), what
 *   Lambda's init phase runs, against the 150 ms budget;
 * - full load: importing the entry and every chunk, i.e. also what the first invocation loads
 *   lazily (the SDK clients, the config loader, the handlers), before any network. The functions
 *   defer that work on purpose; this column says what it costs.
 *
 * Two baselines are bundled and measured the same way in the same run: an empty handler (what any
 * Node function pays) and the AWS SDK clients every function holds (DynamoDB, SQS, SSM, Secrets
 * Manager) constructed and nothing else. The ratios say what ferry adds on top of them.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { BundledFunction } from '../scripts/bundle-functions.ts';
import { bundleEntry, bundleFunctions } from '../scripts/bundle-functions.ts';
import { median } from './support/stats.ts';

const RUNS = 7;
const SIZE_BUDGET = 1_048_576;
const INIT_BUDGET_MS = 150;
const EXEMPT = new Set(['apply']);
const run = promisify(execFile);

const BASELINES: Record<string, string> = {
  'empty handler': 'export const handler = async () => ({ statusCode: 200 });\n',
  'AWS SDK clients': `import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
const clients = [new DynamoDBClient({ region: 'us-east-1' }), new SQSClient({ region: 'us-east-1' }), new SSMClient({ region: 'us-east-1' }), new SecretsManagerClient({ region: 'us-east-1' })];
export const commands = [GetItemCommand, SendMessageCommand, GetParameterCommand, GetSecretValueCommand];
export const handler = async () => clients.length;
`,
};

/** Milliseconds to import the files in order, in a fresh process. */
async function importMs(files: readonly string[]): Promise<number> {
  const script =
    'const t = performance.now(); for (const f of process.argv.slice(1)) await import(f); process.stdout.write(String(performance.now() - t));';
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script, ...files], {
    env: { PATH: process.env.PATH, AWS_REGION: 'us-east-1' },
  });
  return Number(stdout);
}

async function medianMs(files: readonly string[]): Promise<number> {
  await importMs(files); // warms the page cache, as a sandbox with the package unpacked has it
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) times.push(await importMs(files));
  return median(times);
}

/** The entry, then every chunk of the package. */
function allFiles(bundle: BundledFunction): string[] {
  const root = dirname(bundle.file);
  const chunks = Object.keys(bundle.metafile.outputs)
    .map((path) => resolve(path))
    .filter((path) => path !== resolve(bundle.file) && path.endsWith('.mjs'));
  return [bundle.file, ...chunks.filter((path) => path.startsWith(root))];
}

export default async function (): Promise<void> {
  const out = await mkdtemp(join(tmpdir(), 'ferry-functions-bench-'));
  // Baseline entries live inside the repository so that they resolve its node_modules.
  const entries = resolve(import.meta.dirname, '..', 'node_modules', '.cache', 'ferry-bench');
  await mkdir(entries, { recursive: true });
  try {
    const baselines: BundledFunction[] = [];
    for (const [name, source] of Object.entries(BASELINES)) {
      const slug = name.replace(/\W+/g, '-');
      await writeFile(join(entries, `${slug}.ts`), source);
      baselines.push(await bundleEntry(name, join(entries, `${slug}.ts`), join(out, 'baseline', slug)));
    }
    const functions = await bundleFunctions(join(out, 'functions'));
    const rows: Array<{ bundle: BundledFunction; init: number; full: number }> = [];
    for (const bundle of [...baselines, ...functions])
      rows.push({ bundle, init: await medianMs([bundle.file]), full: await medianMs(allFiles(bundle)) });
    const empty = rows[0]?.init ?? Number.NaN;
    const sdk = rows[1]?.full ?? Number.NaN;
    const sdkBytes = rows[1]?.bundle.bytes ?? Number.NaN;

    console.log(
      `median of ${RUNS} imports, each in a fresh node ${process.version} process; size budget 1 MiB`,
    );
    console.log(
      '| bundle | minified bytes | size | × SDK bytes | module init ms | init | × empty | full load ms | × SDK |',
    );
    console.log('| --- | ---: | --- | ---: | ---: | --- | ---: | ---: | ---: |');
    for (const { bundle, init, full } of rows) {
      const isFunction = functions.includes(bundle);
      const size = !isFunction
        ? '—'
        : EXEMPT.has(bundle.name)
          ? 'exempt'
          : bundle.bytes <= SIZE_BUDGET
            ? 'within'
            : 'OVER';
      const initVerdict = !isFunction ? '—' : init <= INIT_BUDGET_MS ? 'within' : 'OVER';
      console.log(
        `| ${bundle.name} | ${bundle.bytes.toLocaleString('en')} | ${size} | ${(bundle.bytes / sdkBytes).toFixed(2)}x | ${init.toFixed(1)} | ${initVerdict} | ${(init / empty).toFixed(1)}x | ${full.toFixed(1)} | ${(full / sdk).toFixed(2)}x |`,
      );
    }
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}
