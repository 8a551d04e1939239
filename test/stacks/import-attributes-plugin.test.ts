import { describe, expect, it } from 'vitest';
import { rewriteJsonImportAttributes } from '../../stacks/import-attributes-plugin.ts';

describe('JSON import attributes for SST’s esbuild', () => {
  it.each([
    {
      label: 'a default JSON import, as @kubernetes/client-node writes it',
      source: "import packagejson from '../package.json' with { type: 'json' };",
      expected: "import packagejson from '../package.json' assert { type: 'json' };",
    },
    {
      label: 'double quotes and no spaces',
      source: 'import data from "./data.json"with{type:"json"}',
      expected: 'import data from "./data.json" assert {type:"json"}',
    },
    {
      label: 're-exports',
      source: "export { default as pkg } from './package.json' with { type: 'json' };",
      expected: "export { default as pkg } from './package.json' assert { type: 'json' };",
    },
    {
      label: 'other code that says "with" untouched',
      source: "const withType = { type: 'json' }; // from 'x' with care",
      expected: "const withType = { type: 'json' }; // from 'x' with care",
    },
    {
      label: 'attributes other than the JSON type untouched',
      source: "import wasm from './m.wasm' with { type: 'webassembly' };",
      expected: "import wasm from './m.wasm' with { type: 'webassembly' };",
    },
  ])('rewrites $label', ({ source, expected }) => {
    expect(rewriteJsonImportAttributes(source)).toBe(expected);
  });
});
