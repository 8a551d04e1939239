import { describe, expect, it } from 'vitest';
import type { Alert } from '../../lib/config/index.ts';
import type { FluxEvent } from '../../lib/jobs/event.ts';
import { mergeAlertMetadata, notificationFor } from '../../lib/notify/index.ts';

const alert = (spec: Partial<Alert['spec']> = {}): Alert => ({
  apiVersion: 'notification.toolkit.fluxcd.io/v1beta3',
  kind: 'Alert',
  metadata: { name: 'deploys', namespace: 'flux-system', labels: {}, annotations: {} },
  spec: {
    providerRef: { name: 'chat' },
    eventSeverity: 'info',
    eventSources: [{ kind: 'Kustomization', name: '*' }],
    ...spec,
  },
  source: { file: 'alert.yaml', document: 0 },
});

const event = (metadata: Record<string, string> = {}): FluxEvent => ({
  involvedObject: { kind: 'Kustomization', namespace: 'flux-system', name: 'apps' },
  severity: 'info',
  reason: 'ReconciliationSucceeded',
  message: 'applied',
  metadata,
  timestamp: '2026-03-01T12:00:00.000Z',
  reportingController: 'ferry',
});

interface MetadataCase {
  label: string;
  event: Record<string, string>;
  spec: Partial<Alert['spec']>;
  annotations: Record<string, string>;
  metadata: Record<string, string>;
  conflicts: string[];
}

describe('alert metadata', () => {
  it.each<MetadataCase>([
    {
      label: 'the Alert adds its eventMetadata and summary to the event’s',
      event: { revision: 'main@sha1:1' },
      spec: { eventMetadata: { cluster: 'prod-eu' }, summary: 'EU apps' },
      annotations: {},
      metadata: { cluster: 'prod-eu', summary: 'EU apps', revision: 'main@sha1:1' },
      conflicts: [],
    },
    {
      label: 'the event’s own metadata wins over the Alert’s eventMetadata',
      event: { revision: 'main@sha1:1' },
      spec: { eventMetadata: { revision: 'from-alert', env: 'prod' } },
      annotations: {},
      metadata: { revision: 'main@sha1:1', env: 'prod' },
      conflicts: ['revision'],
    },
    {
      label: 'summary wins over eventMetadata.summary, and the event over summary',
      event: {},
      spec: { eventMetadata: { summary: 'from eventMetadata' }, summary: 'from summary' },
      annotations: {},
      metadata: { summary: 'from summary' },
      conflicts: ['summary'],
    },
    {
      label: 'the event’s summary wins over both',
      event: { summary: 'from the event' },
      spec: { summary: 'from summary' },
      annotations: {},
      metadata: { summary: 'from the event' },
      conflicts: ['summary'],
    },
    {
      label: 'event.toolkit.fluxcd.io/ annotations of the object come lowest, prefix stripped',
      event: { revision: 'main@sha1:1' },
      spec: { eventMetadata: { env: 'prod' } },
      annotations: {
        'event.toolkit.fluxcd.io/env': 'tenant says dev',
        'event.toolkit.fluxcd.io/deploymentID': 'd-42',
        'other.example.com/ignored': 'x',
      },
      metadata: { env: 'prod', deploymentID: 'd-42', revision: 'main@sha1:1' },
      conflicts: ['env'],
    },
  ])('$label', ({ event: own, spec, annotations, metadata, conflicts }) => {
    const merged = mergeAlertMetadata(event(own), alert(spec), annotations);
    expect(merged.metadata).toEqual(metadata);
    expect(merged.conflicts).toEqual(conflicts);
  });
});

describe('notification for an Alert', () => {
  it('carries the merged event, the Alert and the rendered text, leaving the event itself alone', () => {
    const original = event({ revision: 'main@sha1:1' });
    const notification = notificationFor(
      alert({ eventMetadata: { env: 'prod' }, messageTemplate: '{{ .Metadata.env }}: {{ .Message }}' }),
      original,
    );
    expect(notification).toEqual({
      event: { ...original, metadata: { env: 'prod', revision: 'main@sha1:1' } },
      alert: { namespace: 'flux-system', name: 'deploys' },
      text: 'prod: applied',
    });
    expect(original.metadata).toEqual({ revision: 'main@sha1:1' });
  });

  it('has no text without a template, so the provider writes its default', () => {
    expect(notificationFor(alert(), event())).not.toHaveProperty('text');
  });

  it('falls back to the provider’s default text when the template fails on the event, and says so', () => {
    const failures: string[] = [];
    const conflicts: string[][] = [];
    const notification = notificationFor(
      alert({ messageTemplate: '{{ .Nope }}', eventMetadata: { revision: 'x' } }),
      event({ revision: 'main@sha1:1' }),
      {},
      { onTemplateError: (e) => failures.push(e.message), onMetadataConflicts: (k) => conflicts.push(k) },
    );
    expect(notification).not.toHaveProperty('text');
    expect(notification.event.metadata).toEqual({ revision: 'main@sha1:1' });
    expect(failures).toEqual([expect.stringMatching(/^template: alert message:1:\d+: .*Nope/)]);
    expect(conflicts).toEqual([['revision']]);
  });
});
