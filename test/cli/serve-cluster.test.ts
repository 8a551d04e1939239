/** Which cluster `ferry serve` applies to when no --kubeconfig is given. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../lib/cli/main.ts';

const quickstart = resolve(import.meta.dirname, '../../examples/quickstart');

describe('ferry serve, choosing the cluster', () => {
  let dir: string;
  let saved: string | undefined;
  const errors: string[] = [];
  const io = { stdout: () => {}, stderr: (line: string) => errors.push(line) };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ferry-serve-cluster-'));
    saved = process.env.KUBECONFIG;
    errors.length = 0;
  });
  afterEach(async () => {
    if (saved === undefined) delete process.env.KUBECONFIG;
    else process.env.KUBECONFIG = saved;
    await rm(dir, { recursive: true, force: true });
  });

  const serve = () =>
    runCli(['serve', '--config', quickstart, '--state', join(dir, 'state'), '--listen', '127.0.0.1:0'], io);

  it('takes KUBECONFIG when it names one file, and says so when that file is missing', async () => {
    const missing = join(dir, 'no-such-kubeconfig');
    process.env.KUBECONFIG = missing;
    expect(await serve()).toBe(1);
    expect(errors.join('\n')).toContain(missing);
  });

  it('refuses a KUBECONFIG listing several files rather than pick one silently', async () => {
    process.env.KUBECONFIG = [join(dir, 'a'), join(dir, 'b')].join(delimiter);
    expect(await serve()).toBe(1);
    expect(errors.join('\n')).toContain(
      'KUBECONFIG lists several files; ferry reads one: pass --kubeconfig FILE',
    );
  });
});
