#!/usr/bin/env node
// ferry runs its TypeScript directly on Node 24's type stripping; older Node cannot.
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  console.error(
    `ferry needs Node.js 24 or later; this is ${process.version}. Run it as \`npx ferry\` or through npm scripts, which use the Node the project pins.`,
  );
  process.exit(1);
}
const { runCli } = await import('../lib/cli/main.ts');
process.exitCode = await runCli(process.argv.slice(2));
