import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../lib/cli/main.ts';
import type { FluxEvent } from '../../lib/jobs/event.ts';
import { EventBus } from '../../lib/jobs/event-bus.ts';
import { EmbeddedStateStore } from '../../lib/state/index.ts';

describe('ferry events', () => {
  let dir: string;
  let published: FluxEvent[];

  const cli = async (...args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(['events', ...args, '--state', dir], {
      stdout: (t) => out.push(t),
      stderr: (t) => err.push(t),
    });
    return { code, out: out.join('\n'), err: err.join('\n') };
  };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ferry-events-cli-'));
    // The store keeps its real clock (events expire a day after they are written); the bus stamps pinned times.
    const store = new EmbeddedStateStore({ dir });
    let clock = Date.parse('2026-03-01T12:00:00Z');
    const bus = new EventBus(store, { now: () => new Date(clock) });
    const apps = { kind: 'Kustomization', namespace: 'flux-system', name: 'apps' };
    const raised: [typeof apps, FluxEvent['severity'], string, string][] = [
      [apps, 'info', 'Progressing', 'applying main@sha1:1'],
      [
        { kind: 'GitRepository', namespace: 'flux-system', name: 'fleet' },
        'info',
        'NewArtifact',
        'stored artifact',
      ],
      [apps, 'error', 'HealthCheckFailed', 'Deployment/apps/web not ready:\n  0 of 2 replicas'],
      [{ ...apps, namespace: 'team-a' }, 'info', 'ReconciliationSucceeded', 'applied'],
    ];
    published = [];
    for (const [object, severity, reason, message] of raised) {
      const event = bus.event(object, severity, reason, message, { revision: 'main@sha1:1' });
      await bus.publish(event);
      published.push(event);
      clock += 60_000;
    }
    await store.close();
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('prints every recent event as a table, oldest first, one line each', async () => {
    const { code, out } = await cli();
    expect(code).toBe(0);
    expect(out.split('\n')).toEqual([
      'TIME                       NAMESPACE     OBJECT                SEVERITY   REASON                    MESSAGE',
      '2026-03-01T12:00:00.000Z   flux-system   Kustomization/apps    info       Progressing               applying main@sha1:1',
      '2026-03-01T12:01:00.000Z   flux-system   GitRepository/fleet   info       NewArtifact               stored artifact',
      '2026-03-01T12:02:00.000Z   flux-system   Kustomization/apps    error      HealthCheckFailed         Deployment/apps/web not ready: 0 of 2 replicas',
      '2026-03-01T12:03:00.000Z   team-a        Kustomization/apps    info       ReconciliationSucceeded   applied',
    ]);
  });

  it.each([
    {
      label: '--for kind/name, in the default namespace',
      args: ['--for', 'ks/apps'],
      reasons: ['Progressing', 'HealthCheckFailed'],
    },
    {
      label: '--for kind/name in a namespace',
      args: ['--for', 'Kustomization/apps', '-n', 'team-a'],
      reasons: ['ReconciliationSucceeded'],
    },
    {
      label: '--for a kind, in every namespace',
      args: ['--for', 'kustomizations'],
      reasons: ['Progressing', 'HealthCheckFailed', 'ReconciliationSucceeded'],
    },
    {
      label: '--namespace alone',
      args: ['--namespace', 'flux-system'],
      reasons: ['Progressing', 'NewArtifact', 'HealthCheckFailed'],
    },
    {
      label: '--limit, keeping the newest',
      args: ['--limit', '2'],
      reasons: ['HealthCheckFailed', 'ReconciliationSucceeded'],
    },
  ])('filters with $label', async ({ args, reasons }) => {
    const { code, out } = await cli(...args, '--json');
    expect(code).toBe(0);
    expect((JSON.parse(out) as FluxEvent[]).map((e) => e.reason)).toEqual(reasons);
  });

  it('prints the events as Flux-shaped JSON with --json', async () => {
    const { code, out } = await cli('--json');
    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual(published);
  });

  it('says when nothing matches', async () => {
    const { code, out } = await cli('--for', 'gitrepo/other');
    expect(code).toBe(0);
    expect(out).toBe('no events found for gitrepo/other');
  });

  it.each([
    { label: 'an unknown kind', args: ['--for', 'widgets/apps'], message: /unknown kind "widgets"/ },
    {
      label: 'a malformed --for',
      args: ['--for', 'ks/apps/extra'],
      message: /--for must be KIND or KIND\/NAME/,
    },
    { label: 'a bad --limit', args: ['--limit', '0'], message: /--limit must be a positive number/ },
  ])('exits 1 on $label', async ({ args, message }) => {
    const { code, err } = await cli(...args);
    expect(code).toBe(1);
    expect(err).toMatch(message);
  });

  it('exits 1 without a state directory', async () => {
    const out: string[] = [];
    const code = await runCli(['events', '--state', join(dir, 'missing')], {
      stdout: (t) => out.push(t),
      stderr: (t) => out.push(t),
    });
    expect(code).toBe(1);
    expect(out.join('\n')).toMatch(/no ferry state at .*missing/);
  });
});
