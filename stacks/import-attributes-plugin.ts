/**
 * SST v2 bundles functions with the esbuild it pins (0.18), which predates import attributes:
 * `import pkg from '../package.json' with { type: 'json' }` (in @kubernetes/client-node, which the
 * apply worker bundles) is a syntax error to it. It still reads the older spelling of the same
 * import, `assert { type: 'json' }`, so this plugin rewrites exactly that clause in the dependency
 * files that carry it and leaves every other file to esbuild.
 */
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** `from '<specifier>' with { type: 'json' }` at the end of a static import. */
const JSON_IMPORT_ATTRIBUTE = /(\bfrom\s*(['"])[^'"\n]+\2)\s*with\s*(\{\s*type\s*:\s*(['"])json\4\s*\})/g;

/** The slice of esbuild's plugin interface used here, so either esbuild's types fit it. */
interface LoadBuild {
  onLoad(
    options: { filter: RegExp },
    callback: (args: {
      path: string;
    }) => Promise<{ contents: string; loader: 'js'; resolveDir: string } | undefined>,
  ): void;
}

export function rewriteJsonImportAttributes(source: string): string {
  return source.replace(JSON_IMPORT_ATTRIBUTE, '$1 assert $3');
}

export const importAttributesPlugin = {
  name: 'ferry-json-import-attributes',
  setup(build: LoadBuild): void {
    build.onLoad({ filter: /[\\/]node_modules[\\/].*\.m?js$/ }, async ({ path }) => {
      const source = await readFile(path, 'utf8');
      if (!source.includes('with')) return undefined;
      const rewritten = rewriteJsonImportAttributes(source);
      if (rewritten === source) return undefined;
      return { contents: rewritten, loader: 'js', resolveDir: dirname(path) };
    });
  },
};
