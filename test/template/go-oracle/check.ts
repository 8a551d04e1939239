/**
 * Confirms the expected outputs of the template cases against Go itself. Not part of the test
 * suite (it needs a Go toolchain): run it by hand after changing a case.
 *
 *   apt-get install golang-go golang-github-masterminds-sprig-dev
 *   node_modules/.bin/node test/template/go-oracle/check.ts
 *
 * Every render case must produce the expected text in Go, and every error case must fail in the
 * same phase, unless the case says why Go differs (`notInGo`).
 */
import { spawnSync } from 'node:child_process';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ACTION_CASES } from '../cases/action-cases.ts';
import type { ErrorCase, RenderCase } from '../cases/case.ts';
import { COMMIT_CASES } from '../cases/commit-cases.ts';
import { ERROR_CASES } from '../cases/error-cases.ts';
import { FUNCTION_CASES } from '../cases/function-cases.ts';
import { GO_DOC_CASES } from '../cases/go-doc-cases.ts';
import { PRINTF_CASES } from '../cases/printf-cases.ts';
import { TEXT_CASES } from '../cases/text-cases.ts';

interface GoResult {
  label: string;
  output: string;
  phase?: 'parse' | 'render';
  error?: string;
}

const renderCases: RenderCase[] = [
  ...TEXT_CASES,
  ...GO_DOC_CASES,
  ...ACTION_CASES,
  ...FUNCTION_CASES,
  ...PRINTF_CASES,
  ...COMMIT_CASES,
];
const all: (RenderCase | ErrorCase)[] = [...renderCases, ...ERROR_CASES];

const run = spawnSync('go', ['run', 'main.go'], {
  cwd: dirname(fileURLToPath(import.meta.url)),
  input: JSON.stringify(all.map(({ label, template, data, flux }) => ({ label, template, data, flux }))),
  env: { ...process.env, GO111MODULE: 'off', GOPATH: process.env.GOPATH ?? '/usr/share/gocode' },
  encoding: 'utf8',
  maxBuffer: 64 * 1024 * 1024,
});
if (run.status !== 0) {
  process.stderr.write(run.stderr || String(run.error));
  process.exit(2);
}
const results = JSON.parse(run.stdout) as GoResult[];

let agreed = 0;
let explained = 0;
const disagreements: string[] = [];
all.forEach((testCase, i) => {
  const go = results[i] as GoResult;
  const ok =
    'expected' in testCase
      ? go.error === undefined && go.output === testCase.expected
      : go.error !== undefined && go.phase === testCase.phase;
  if (ok) agreed++;
  else if (testCase.notInGo) explained++;
  else {
    const wanted = 'expected' in testCase ? JSON.stringify(testCase.expected) : `a ${testCase.phase} error`;
    const got = go.error ? `${go.phase} error: ${go.error}` : JSON.stringify(go.output);
    disagreements.push(`${testCase.label}\n  expected ${wanted}\n  Go gave  ${got}`);
  }
});
for (const line of disagreements) console.log(line);
console.log(
  `${agreed} agree with Go, ${explained} differ for a stated reason, ${disagreements.length} disagree`,
);
process.exit(disagreements.length === 0 ? 0 : 1);
