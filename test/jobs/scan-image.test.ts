/** The scan-image job against the real registry. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfigFiles } from '../../lib/config/index.ts';
import { readImageTags } from '../../lib/jobs/image-state.ts';
import { scanImageHandler } from '../../lib/jobs/scan-image.ts';
import { conditionOf } from '../../lib/jobs/status.ts';
import { RegistryClient } from '../../lib/registry/index.ts';
import type { TestJobContext } from '../support/job-context.ts';
import { testJobContext } from '../support/job-context.ts';
import type { Registry } from '../support/registry.ts';
import { startRegistry } from '../support/registry.ts';

/** Counts what the job asks of the registry; the registry itself is real. */
class CountingRegistryClient extends RegistryClient {
  calls: string[] = [];
  override listTags(...args: Parameters<RegistryClient['listTags']>) {
    this.calls.push('listTags');
    return super.listTags(...args);
  }
  override resolveTag(...args: Parameters<RegistryClient['resolveTag']>) {
    this.calls.push(`resolveTag ${args[1]}`);
    return super.resolveTag(...args);
  }
}

const config = (host: string) =>
  loadConfigFiles([
    {
      path: 'images.yaml',
      content: `apiVersion: image.toolkit.fluxcd.io/v1
kind: ImageRepository
metadata: { name: app }
spec: { image: ${host}/team/app, interval: 1h, insecure: true }
---
apiVersion: image.toolkit.fluxcd.io/v1
kind: ImagePolicy
metadata: { name: app }
spec: { imageRepositoryRef: { name: app }, policy: { semver: { range: '>=1.0.0' } }, digestReflectionPolicy: IfNotPresent }
---
apiVersion: image.toolkit.fluxcd.io/v1
kind: ImagePolicy
metadata: { name: broken }
spec: { imageRepositoryRef: { name: app }, policy: { numerical: { order: asc } } }
---
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: { name: fleet }
spec: { url: https://git.example.com/fleet.git, interval: 1h }
---
apiVersion: image.toolkit.fluxcd.io/v1
kind: ImageUpdateAutomation
metadata: { name: fleet }
spec:
  interval: 1h
  sourceRef: { name: fleet }
  git: { checkout: { ref: { branch: main } }, commit: { author: { email: ferry@example.com } } }
`,
    },
  ]);

describe('scan-image job', () => {
  let registry: Registry;
  let ctx: TestJobContext;
  let client: CountingRegistryClient;
  const app = () => ({ kind: 'ImageRepository', namespace: 'flux-system', name: 'app' });
  const policy = (name: string) => ({ kind: 'ImagePolicy', namespace: 'flux-system', name });

  beforeAll(async () => {
    registry = await startRegistry();
    await registry.pushImage('team/app', '1.0.0');
    await registry.pushImage('team/app', '1.1.0');
    await registry.pushImage('team/app', 'sha256-abc.sig');
  });
  afterAll(async () => registry.close());
  afterEach(async () => ctx?.close());

  const scan = async (hintTag?: string) => {
    const job = {
      kind: 'scan-image' as const,
      image: `${registry.host}/team/app`,
      ...(hintTag ? { hintTag } : {}),
    };
    await scanImageHandler({ registry: client })(job, ctx);
  };

  it('lists every tag on a first scan, records status like Flux and asks for an update', async () => {
    ctx = await testJobContext(config(registry.host));
    client = new CountingRegistryClient();
    await scan();
    expect(client.calls).toEqual(['listTags', 'resolveTag 1.1.0']);
    expect((await readImageTags(ctx.state, `${registry.host}/team/app`))?.tags.sort()).toEqual([
      '1.0.0',
      '1.1.0',
      'sha256-abc.sig',
    ]);
    expect(await ctx.status.read(app())).toMatchObject({
      canonicalImageName: `${registry.host}/team/app`,
      lastScanResult: { tagCount: 2, latestTags: ['1.1.0', '1.0.0'] },
    });
    const status = await ctx.status.read(policy('app'));
    expect(status).toMatchObject({ latestRef: { name: `${registry.host}/team/app`, tag: '1.1.0' } });
    expect((status as unknown as { latestRef: { digest: string } }).latestRef.digest).toMatch(
      /^sha256:[0-9a-f]{64}$/,
    );
    const [update] = await ctx.enqueuer.queue('update').receive();
    expect(update?.body).toEqual({ kind: 'update', automation: { namespace: 'flux-system', name: 'fleet' } });
    expect(update?.group).toMatch(/^git\/[0-9a-f]{40}$/);
  });

  it('stalls a policy that cannot decide without holding back the others', async () => {
    ctx = await testJobContext(config(registry.host));
    client = new CountingRegistryClient();
    await scan();
    const broken = await ctx.status.read(policy('broken'));
    expect(conditionOf(broken, 'Stalled')).toMatchObject({ status: 'True', reason: 'InvalidPolicy' });
    expect(conditionOf(broken, 'Ready')?.message).toMatch(/'1\.0\.0'|'1\.1\.0'/);
    expect(conditionOf(await ctx.status.read(policy('app')), 'Ready')?.status).toBe('True');
  });

  it('admits a pushed tag with one manifest request and no listing, and records where the policy came from', async () => {
    ctx = await testJobContext(config(registry.host));
    client = new CountingRegistryClient();
    await scan();
    await ctx.enqueuer.queue('update').receive();
    await registry.pushImage('team/app', '1.2.0');
    client.calls = [];
    await scan('1.2.0');
    expect(client.calls).toEqual(['resolveTag 1.2.0']);
    expect(await ctx.status.read(policy('app'))).toMatchObject({
      latestRef: { tag: '1.2.0' },
      observedPreviousRef: { tag: '1.1.0' },
    });
    const events = await ctx.events.recent({ about: { kind: 'ImagePolicy', name: 'app' } });
    expect(events.at(-1)?.message).toBe(
      `Latest image tag for '${registry.host}/team/app' updated from 1.1.0 to 1.2.0`,
    );
  });

  it('ignores a hint the registry does not confirm', async () => {
    ctx = await testJobContext(config(registry.host));
    client = new CountingRegistryClient();
    await scan();
    await ctx.enqueuer.queue('update').receive({ max: 10 });
    const before = await ctx.status.read(policy('app'));
    await scan('9.9.9');
    expect((await ctx.status.read(policy('app')))?.latestRef).toEqual(before?.latestRef);
    expect((await readImageTags(ctx.state, `${registry.host}/team/app`))?.tags).not.toContain('9.9.9');
    expect((await ctx.enqueuer.queue('update').stats()).visible).toBe(0);
  });
});
