import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { build, toYaml } from '../../lib/build/index.ts';

const fixtures = join(import.meta.dirname, 'fixtures');

function readTree(root: string): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.set(relative(root, path), readFileSync(path));
    }
  };
  walk(root);
  return files;
}

/** Each fixture's expected.yaml is what `kubectl kustomize` printed for it (test/build/regenerate.sh). */
describe('kustomize build against kubectl kustomize output', () => {
  const cases = readdirSync(fixtures).sort();
  it('has at least twenty fixtures', () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
  });
  it.each(cases)('%s', (name) => {
    const dir = join(fixtures, name);
    const path = (() => {
      try {
        return readFileSync(join(dir, 'path'), 'utf8').trim();
      } catch {
        return '.';
      }
    })();
    const expected = readFileSync(join(dir, 'expected.yaml'), 'utf8');
    expect(toYaml(build(readTree(join(dir, 'input')), path))).toBe(expected);
  });
});
