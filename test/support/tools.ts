import { spawnSync } from 'node:child_process';

/**
 * Fails loudly when a system tool the real test servers need is missing, naming the Debian package:
 * a missing tool must never turn into a silently skipped test.
 */
export function requireTool(
  command: string,
  debianPackage: string,
  versionArgs: string[] = ['--version'],
): string {
  const found = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
  const path = found.stdout.trim();
  if (found.status !== 0 || path === '') {
    throw new Error(
      `the tests need \`${command}\`, which is not installed: run \`apt-get install ${debianPackage}\` (or \`bash .ci/run\`)`,
    );
  }
  const probe = spawnSync(path, versionArgs, { encoding: 'utf8' });
  if (probe.error) throw new Error(`\`${command}\` is installed but does not run: ${probe.error.message}`);
  return path;
}
