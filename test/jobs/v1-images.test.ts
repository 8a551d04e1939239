import { afterEach, describe, expect, it } from 'vitest';
import { loadConfigFiles } from '../../lib/config/index.ts';
import { readImageWatchers, writeImageTags } from '../../lib/jobs/image-state.ts';
import { resolveV1Targets, withoutTag } from '../../lib/jobs/v1-images.ts';
import { RegistryClient } from '../../lib/registry/index.ts';
import { findV1Workloads } from '../../lib/update/index.ts';
import type { TestJobContext } from '../support/job-context.ts';
import { testJobContext } from '../support/job-context.ts';

const workload = (name: string, image: string, annotations: string) => ({
  path: `apps/${name}.yaml`,
  bytes: new TextEncoder().encode(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  annotations: { ${annotations} }
spec:
  template:
    spec:
      containers:
        - name: ${name}
          image: ${image}
`),
});

const MIN = 60_000;
const now = new Date('2026-05-01T10:00:00Z');

describe('v1 automated workloads', () => {
  let ctx: TestJobContext;
  afterEach(async () => ctx?.close());

  it('resolves semver filters against stored tags and leaves locked workloads alone', async () => {
    ctx = await testJobContext(loadConfigFiles([]), () => now);
    await writeImageTags(ctx.state, {
      image: 'docker.io/team/app',
      tags: ['1.0.0', '1.4.2', '2.0.0', 'latest'],
      digests: {},
      listedAt: now.toISOString(),
    });
    const targets = findV1Workloads([
      workload('web', 'team/app:1.0.0', '"fluxcd.io/automated": "true", "fluxcd.io/tag.web": "semver:~1"'),
      workload('pinned', 'team/app:1.0.0', '"fluxcd.io/automated": "true", "fluxcd.io/locked": "true"'),
    ]);
    const resolved = await resolveV1Targets(
      targets,
      'flux-system/fleet',
      new RegistryClient(),
      ctx,
      10 * MIN,
    );
    expect([...resolved.references.values()]).toEqual(['team/app:1.4.2']);
    expect(resolved.pending).toEqual([]);
    expect(await readImageWatchers(ctx.state, 'docker.io/team/app')).toEqual(['flux-system/fleet']);
    expect((await ctx.enqueuer.queue('scan-image').stats()).visible).toBe(0);
  });

  it('asks for a scan of an image it has no tags for, and of one whose tags are older than the interval', async () => {
    ctx = await testJobContext(loadConfigFiles([]), () => now);
    await writeImageTags(ctx.state, {
      image: 'docker.io/team/old',
      tags: ['1.0.0'],
      digests: {},
      listedAt: new Date(now.getTime() - 11 * MIN).toISOString(),
    });
    const targets = findV1Workloads([
      workload('new', 'team/new:1.0.0', '"fluxcd.io/automated": "true"'),
      workload('old', 'team/old:1.0.0', '"fluxcd.io/automated": "true", "fluxcd.io/tag.old": "semver:*"'),
    ]);
    const resolved = await resolveV1Targets(
      targets,
      'flux-system/fleet',
      new RegistryClient(),
      ctx,
      10 * MIN,
    );
    expect(resolved.pending).toEqual(['docker.io/team/new']);
    const scans = await ctx.enqueuer.queue('scan-image').receive({ max: 10 });
    expect(
      scans.map((m) => m.body).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
    ).toEqual([
      { kind: 'scan-image', image: 'docker.io/team/new' },
      { kind: 'scan-image', image: 'docker.io/team/old' },
    ]);
  });

  it.each([
    ['team/app:1.0.0', 'team/app'],
    ['127.0.0.1:5000/team/app:1.0.0', '127.0.0.1:5000/team/app'],
    ['127.0.0.1:5000/team/app', '127.0.0.1:5000/team/app'],
    [`team/app:1.0@sha256:${'a'.repeat(64)}`, 'team/app'],
  ])('keeps the user spelling of %s without its tag', (image, name) => {
    expect(withoutTag(image)).toBe(name);
  });
});
