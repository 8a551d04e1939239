/**
 * `npm run bench`: runs every `bench/*.bench.ts` in turn. Each benchmark measures ferry and a
 * baseline in the same run and prints the ratio, so numbers from different machines compare.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

const dir = import.meta.dirname;
const only = process.argv.slice(2);
const files = (await readdir(dir))
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

for (const file of files) {
  const mod = (await import(join(dir, file))) as { default: () => Promise<void> };
  console.log(`\n## ${file.replace(/\.bench\.ts$/, '')}`);
  await mod.default();
}
