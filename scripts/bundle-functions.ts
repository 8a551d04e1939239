/**
 * Bundles each function of functions/ on its own, as Lambda runs it: a directory per function
 * (`<out>/<name>/index.mjs` and the chunks it imports), minified ESM, tree-shaken, everything it
 * imports inside (the AWS SDK included: the runtime's own SDK version is unknown). Packages are
 * resolved to their ES module builds where they ship one, which is what lets the SDK clients shake
 * down to the commands used. What a function imports dynamically (the SDK clients, the config
 * loader, git, the job handlers) goes into chunks loaded on its first invocation, so Lambda's init
 * phase evaluates little more than the handler; code splitting keeps those chunks tree-shaken.
 *
 *   node scripts/bundle-functions.ts [OUT_DIR]     (default node_modules/.cache/ferry-functions, ignored by git)
 */
import { join, resolve } from 'node:path';
import type { BuildOptions, Metafile, Plugin } from 'esbuild';
import { build } from 'esbuild';

export const FUNCTION_NAMES = [
  'http',
  'schedule',
  'ecr-push',
  'scan-image',
  'update',
  'sync-source',
  'apply',
  'notify',
] as const;

export type FunctionName = (typeof FUNCTION_NAMES)[number];

const ROOT = resolve(import.meta.dirname, '..');

/** CommonJS dependencies inside an ES module bundle still call require() for Node's built-ins. */
const REQUIRE_SHIM =
  "import { createRequire as __ferryCreateRequire } from 'node:module';const require = __ferryCreateRequire(import.meta.url);";

/**
 * Two substitutions for code a function never runs. The SDK's credential chain becomes the
 * environment's credentials (lib/aws/environment-credentials.ts): in Lambda they are always there,
 * and the rest of the chain brings SSO, STS and ini-file readers. The browser user-agent parser the
 * SDK imports for browsers only becomes an empty one.
 */
export const functionSubstitutes: Plugin = {
  name: 'ferry-function-substitutes',
  setup(build) {
    build.onResolve({ filter: /^@aws-sdk\/credential-provider-node$/ }, () => ({
      path: join(ROOT, 'lib', 'aws', 'environment-credentials.ts'),
    }));
    build.onResolve({ filter: /^bowser$/ }, () => ({ path: 'bowser', namespace: 'ferry-empty' }));
    build.onLoad({ filter: /.*/, namespace: 'ferry-empty' }, () => ({
      contents: 'export const parse = () => ({});',
      loader: 'js',
    }));
  },
};

export interface BundledFunction {
  name: string;
  /** The entry, `<dir>/index.mjs`. */
  file: string;
  /** The entry and every chunk: what the function's package holds. */
  bytes: number;
  metafile: Metafile;
}

/** How every function is built, entry and output aside: for this script and for the stacks' bundler. */
export const functionBuildOptions = {
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
  splitting: true,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node24',
  minify: true,
  treeShaking: true,
  mainFields: ['module', 'main'],
  banner: { js: REQUIRE_SHIM },
  legalComments: 'none',
  plugins: [functionSubstitutes],
} satisfies BuildOptions;

/** Bundles one entry file into `outDir` (`index.mjs` and its chunks). */
export async function bundleEntry(name: string, entry: string, outDir: string): Promise<BundledFunction> {
  const result = await build({
    ...functionBuildOptions,
    entryPoints: { index: entry },
    outdir: outDir,
    metafile: true,
    logLevel: 'warning',
  });
  const bytes = Object.values(result.metafile.outputs).reduce((sum, output) => sum + output.bytes, 0);
  return { name, file: join(outDir, 'index.mjs'), bytes, metafile: result.metafile };
}

/** Bundles every function into `<outDir>/<name>/index.mjs`. */
export async function bundleFunctions(outDir: string): Promise<BundledFunction[]> {
  const bundled: BundledFunction[] = [];
  for (const name of FUNCTION_NAMES)
    bundled.push(await bundleEntry(name, join(ROOT, 'functions', `${name}.ts`), join(outDir, name)));
  return bundled;
}

if (import.meta.main) {
  const outDir = resolve(process.argv[2] ?? join(ROOT, 'node_modules', '.cache', 'ferry-functions'));
  for (const f of await bundleFunctions(outDir))
    console.log(`${f.name.padEnd(12)} ${f.bytes} bytes  ${f.file}`);
}
