import { describe, expect, it } from 'vitest';
import type { Alert } from '../../lib/config/index.ts';
import { ConfigError, loadConfigFiles } from '../../lib/config/index.ts';
import type { FluxEvent } from '../../lib/jobs/event.ts';
import { messageTemplateOf, renderMessage } from '../../lib/notify/index.ts';
import { TemplateError } from '../../lib/template/index.ts';

const alertYaml = (template: string) => `apiVersion: notification.toolkit.fluxcd.io/v1beta3
kind: Provider
metadata: { name: chat }
spec: { type: generic, address: http://127.0.0.1:1/ }
---
apiVersion: notification.toolkit.fluxcd.io/v1beta3
kind: Alert
metadata: { name: deploys }
spec:
  providerRef: { name: chat }
  eventSources: [{ kind: Kustomization, name: '*' }]
  messageTemplate: ${JSON.stringify(template)}
`;

const load = (template: string): Alert =>
  loadConfigFiles([{ path: 'alert.yaml', content: alertYaml(template) }]).get(
    'Alert',
    'flux-system',
    'deploys',
  ) as Alert;

const event: FluxEvent = {
  involvedObject: {
    kind: 'Kustomization',
    namespace: 'flux-system',
    name: 'apps',
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
  },
  severity: 'error',
  reason: 'HealthCheckFailed',
  message: 'Deployment/apps/web not ready',
  metadata: { revision: 'main@sha1:0a1b2c', env: 'prod' },
  timestamp: '2026-03-01T12:00:05.250Z',
  reportingController: 'ferry',
};

const render = (template: string) => renderMessage(messageTemplateOf(load(template)) as never, event);

describe('alert message templates', () => {
  it.each([
    {
      label: 'the involved object’s fields',
      template:
        '{{ .InvolvedObject.Kind }}/{{ .InvolvedObject.Namespace }}/{{ .InvolvedObject.Name }} ({{ .InvolvedObject.APIVersion }})',
      text: 'Kustomization/flux-system/apps (kustomize.toolkit.fluxcd.io/v1)',
    },
    {
      label: 'severity, reason, message and controller',
      template: '[{{ .Severity | upper }}] {{ .Reason }}: {{ .Message }} by {{ .ReportingController }}',
      text: '[ERROR] HealthCheckFailed: Deployment/apps/web not ready by ferry',
    },
    {
      label: 'metadata by key, missing keys as Go prints them',
      template: '{{ .Metadata.revision }} {{ .Metadata.missing }} [{{ index .Metadata "missing" }}]',
      text: 'main@sha1:0a1b2c <no value> []',
    },
    {
      label: 'metadata in Go’s sorted key order',
      template: '{{ range $k, $v := .Metadata }}{{ $k }}={{ $v }};{{ end }}',
      text: 'env=prod;revision=main@sha1:0a1b2c;',
    },
    {
      label: 'the timestamp as Go prints a time',
      template: '{{ .Timestamp }} / {{ .Timestamp.Unix }}',
      text: '2026-03-01 12:00:05.25 +0000 UTC / 1772366405',
    },
    {
      label: 'conditions on severity',
      template: '{{ if eq .Severity "error" }}🔴{{ else }}🟢{{ end }} {{ .InvolvedObject.Name }}',
      text: '🔴 apps',
    },
  ])('renders $label', ({ template, text }) => {
    expect(render(template)).toBe(text);
  });

  it('fails on a field the event does not have, as Go does on a struct', () => {
    expect(() => render('{{ .InvolvedObject.Labels }}')).toThrow(TemplateError);
    expect(() => render('{{ .InvolvedObject.Labels }}')).toThrow(/template: alert message:1:\d+: .*Labels/);
  });

  it('refuses, at load, a template that does not parse, naming the field', () => {
    let thrown: unknown;
    try {
      load('{{ .Message ');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as Error).message).toMatch(
      /alert\.yaml#1 Alert\/flux-system\/deploys spec\.messageTemplate: template: alert message:1:/,
    );
  });

  it('parses an Alert’s template once, and has none when the Alert has none', () => {
    const alert = load('{{ .Message }}');
    expect(messageTemplateOf(alert)).toBe(messageTemplateOf(alert));
    const { messageTemplate: _, ...spec } = alert.spec;
    expect(messageTemplateOf({ ...alert, spec })).toBeUndefined();
  });
});
