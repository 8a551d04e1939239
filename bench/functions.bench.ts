/**
 * Cold start of each Lambda function: its bundle's minified size (scripts/bundle-functions.ts, the
 * deployment's own settings) against the 1 MB budget (the apply worker is exempt: it carries the
 * Kubernetes client), and its module init, measured by importing the bundle in a fresh `node`
 * process (the median of several), against the 150 ms budget. Two baselines are bundled and
 * measured the same way in the same run: an empty handler (what any Node function pays) and the
 * AWS SDK clients every function holds (DynamoDB, SQS, SSM, Secrets Manager) constructed and
 * nothing else; the ratios say what ferry adds on top.
 *
 * Module init is what Lambda's init phase runs. A function's first invocation then builds its
 * runtime and fetches the config repository, which depends on the network and is not measured here.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { BundledFunction } from '../scripts/bundle-functions.ts';
import { bundleEntry, bundleFunctions } from '../scripts/bundle-functions.ts';
import { median } from './support/stats.ts';

const RUNS = 7;
const SIZE_BUDGET = 1_000_000;
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

/** Milliseconds from the start of `import()` to its end, in a fresh process. */
async function importMs(file: string): Promise<number> {
  const script =
    'const t = performance.now(); await import(process.argv[1]); process.stdout.write(String(performance.now() - t));';
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script, file], {
    env: { PATH: process.env.PATH, AWS_REGION: 'us-east-1' },
  });
  return Number(stdout);
}

async function initMs(file: string): Promise<number> {
  await importMs(file); // warms the page cache, as a provisioned sandbox would have it
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) times.push(await importMs(file));
  return median(times);
}

export default async function (): Promise<void> {
  const out = await mkdtemp(join(tmpdir(), 'ferry-functions-bench-'));
  // Baseline entries live inside the repository so that they resolve its node_modules.
  const entries = resolve(import.meta.dirname, '..', 'node_modules', '.cache', 'ferry-bench');
  await mkdir(entries, { recursive: true });
  try {
    const baselines: BundledFunction[] = [];
    for (const [name, source] of Object.entries(BASELINES)) {
      const entry = join(entries, `${name.replace(/\W+/g, '-')}.ts`);
      await writeFile(entry, source);
      baselines.push(
        await bundleEntry(name, entry, join(out, 'baseline', `${name.replace(/\W+/g, '-')}.mjs`)),
      );
    }
    const functions = await bundleFunctions(join(out, 'functions'));
    const init = new Map<string, number>();
    for (const bundle of [...baselines, ...functions]) init.set(bundle.name, await initMs(bundle.file));
    const empty = init.get('empty handler') ?? Number.NaN;
    const sdk = init.get('AWS SDK clients') ?? Number.NaN;
    const sdkBytes = baselines[1]?.bytes ?? Number.NaN;

    console.log(`module init: median of ${RUNS} imports, each in a fresh node ${process.version} process`);
    console.log(
      '| bundle | minified bytes | size budget | × SDK bytes | init ms | init budget | × empty | × SDK |',
    );
    console.log('| --- | ---: | --- | ---: | ---: | --- | ---: | ---: |');
    for (const bundle of [...baselines, ...functions]) {
      const ms = init.get(bundle.name) ?? Number.NaN;
      const isFunction = functions.includes(bundle);
      const sizeVerdict = !isFunction
        ? '—'
        : EXEMPT.has(bundle.name)
          ? 'exempt'
          : bundle.bytes <= SIZE_BUDGET
            ? 'within 1 MB'
            : 'OVER 1 MB';
      const initVerdict = !isFunction ? '—' : ms <= INIT_BUDGET_MS ? 'within 150 ms' : 'OVER 150 ms';
      console.log(
        `| ${bundle.name} | ${bundle.bytes.toLocaleString('en')} | ${sizeVerdict} | ${(bundle.bytes / sdkBytes).toFixed(2)}x | ${ms.toFixed(1)} | ${initVerdict} | ${(ms / empty).toFixed(1)}x | ${(ms / sdk).toFixed(2)}x |`,
      );
    }
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}
