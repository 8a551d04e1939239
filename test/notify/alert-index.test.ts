import { describe, expect, it } from 'vitest';
import { ConfigSet, loadConfigFiles } from '../../lib/config/index.ts';
import type { EventSeverity, FluxEvent } from '../../lib/jobs/event.ts';
import { AlertIndex } from '../../lib/notify/index.ts';

const provider = (
  name: string,
  namespace = 'flux-system',
  extra = '',
) => `apiVersion: notification.toolkit.fluxcd.io/v1beta3
kind: Provider
metadata: { name: ${name}, namespace: ${namespace} }
spec: { type: generic, address: http://127.0.0.1:1/hook${extra} }
`;

const kustomization = (
  name: string,
  namespace: string,
  team: string,
) => `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: { name: ${name}, namespace: ${namespace}, labels: { team: ${team} } }
spec: { interval: 5m, prune: true, path: ./${name}, sourceRef: { kind: GitRepository, name: fleet, namespace: flux-system } }
`;

const alert = (
  name: string,
  spec: string,
  namespace = 'flux-system',
) => `apiVersion: notification.toolkit.fluxcd.io/v1beta3
kind: Alert
metadata: { name: ${name}, namespace: ${namespace} }
spec:
  providerRef: { name: chat }
${spec
  .trim()
  .split('\n')
  .map((l) => `  ${l}`)
  .join('\n')}
`;

const config = loadConfigFiles([
  {
    path: 'alerts.yaml',
    content: [
      provider('chat'),
      provider('chat', 'team-a'),
      provider('paused', 'flux-system', ', suspend: true'),
      `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: { name: fleet }
spec: { interval: 5m, url: https://git.example.com/fleet.git, ref: { branch: main } }
`,
      kustomization('apps', 'flux-system', 'web'),
      kustomization('infra', 'flux-system', 'ops'),
      kustomization('api', 'team-a', 'web'),
      alert('by-name', 'eventSources: [{ kind: Kustomization, name: apps }]'),
      alert('all-kustomizations', "eventSources: [{ kind: Kustomization, name: '*' }]"),
      alert('team-a-kustomizations', "eventSources: [{ kind: Kustomization, name: '*', namespace: team-a }]"),
      alert('every-namespace', "eventSources: [{ kind: Kustomization, name: '*', namespace: '*' }]"),
      alert(
        'web-team',
        "eventSources: [{ kind: Kustomization, name: '*', namespace: '*', matchLabels: { team: web } }]",
      ),
      alert('glob-is-literal', "eventSources: [{ kind: Kustomization, name: 'app*' }]"),
      alert('source-errors', "eventSeverity: error\neventSources: [{ kind: GitRepository, name: '*' }]"),
      alert(
        'included',
        "eventSources: [{ kind: GitRepository, name: fleet }]\ninclusionList: ['^stored artifact for (?P<branch>[a-z]+)@sha1:']",
      ),
      alert(
        'excluded',
        "eventSources: [{ kind: GitRepository, name: fleet }]\ninclusionList: ['artifact', 'clone']\nexclusionList: ['waiting.*socket', '(?i)DEV']",
      ),
      alert('suspended', "suspend: true\neventSources: [{ kind: GitRepository, name: '*' }]"),
      alert(
        'muted-provider',
        "providerRef: { name: paused }\neventSources: [{ kind: GitRepository, name: '*' }]",
      ).replace('  providerRef: { name: chat }\n', ''),
      alert('local-default', 'eventSources: [{ kind: Kustomization, name: api }]', 'team-a'),
      alert(
        'two-sources',
        'eventSources: [{ kind: Kustomization, name: apps }, { kind: Kustomization, name: infra }]',
      ),
    ].join('---\n'),
  },
]);

function event(
  ref: string,
  message = 'applied',
  severity: EventSeverity = 'info',
  metadata: Record<string, string> = {},
): FluxEvent {
  const [kind = '', namespace = '', name = ''] = ref.split('/');
  return {
    involvedObject: { kind, namespace, name },
    severity,
    reason: severity === 'error' ? 'ReconciliationFailed' : 'ReconciliationSucceeded',
    message,
    metadata,
    timestamp: '2026-03-01T12:00:00.000Z',
    reportingController: 'ferry',
  };
}

const names = (index: AlertIndex, e: FluxEvent) =>
  index.match(e).map((a) => `${a.metadata.namespace}/${a.metadata.name}`);

const cases: { label: string; event: FluxEvent; alerts: string[] }[] = [
  {
    label: 'an exact name, `*` in the Alert namespace, `*` in every namespace, labels and a second source',
    event: event('Kustomization/flux-system/apps'),
    alerts: [
      'flux-system/all-kustomizations',
      'flux-system/by-name',
      'flux-system/every-namespace',
      'flux-system/two-sources',
      'flux-system/web-team',
    ],
  },
  {
    label: 'labels that differ leave the object out of the selector',
    event: event('Kustomization/flux-system/infra'),
    alerts: ['flux-system/all-kustomizations', 'flux-system/every-namespace', 'flux-system/two-sources'],
  },
  {
    label: 'a source namespace defaults to the Alert’s, and another namespace is named explicitly',
    event: event('Kustomization/team-a/api'),
    alerts: [
      'flux-system/every-namespace',
      'flux-system/team-a-kustomizations',
      'flux-system/web-team',
      'team-a/local-default',
    ],
  },
  {
    label: 'an object the config does not hold matches no label selector, but does match `*`',
    event: event('Kustomization/team-b/ghost'),
    alerts: ['flux-system/every-namespace'],
  },
  {
    label: '`*` is the whole name only: `app*` is compared literally, as Flux does',
    event: event('Kustomization/flux-system/app*'),
    alerts: ['flux-system/all-kustomizations', 'flux-system/every-namespace', 'flux-system/glob-is-literal'],
  },
  {
    label: 'kinds are compared exactly',
    event: event('kustomization/flux-system/apps'),
    alerts: [],
  },
  {
    label: 'eventSeverity error drops info events; the inclusion list needs a match',
    event: event('GitRepository/flux-system/fleet', 'no change'),
    alerts: [],
  },
  {
    label: 'eventSeverity error takes errors; the inclusion list matches RE2 named groups',
    event: event('GitRepository/flux-system/fleet', 'stored artifact for main@sha1:0a1b', 'error'),
    alerts: ['flux-system/excluded', 'flux-system/included', 'flux-system/source-errors'],
  },
  {
    label: 'exclusion wins over inclusion',
    event: event('GitRepository/flux-system/fleet', 'clone failed: error waiting on socket', 'error'),
    alerts: ['flux-system/source-errors'],
  },
  {
    label: 'exclusion takes RE2 flags such as (?i)',
    event: event('GitRepository/flux-system/fleet', 'artifact for dev'),
    alerts: [],
  },
  {
    label: 'suspended Alerts and Alerts of a suspended Provider are skipped',
    event: event('GitRepository/flux-system/other', 'boom', 'error'),
    alerts: ['flux-system/source-errors'],
  },
];

describe('alert index', () => {
  const index = AlertIndex.fromConfig(config);

  it.each(cases)('$label', ({ event: e, alerts }) => {
    expect(names(index, e)).toEqual(alerts);
    const naive = index.alerts.filter((a) => a.matches(e, index.labelsOf)).map((a) => a.alert);
    expect(index.match(e)).toEqual(naive);
  });

  it('leaves out suspended Alerts and Alerts whose Provider is suspended or missing', () => {
    const indexed = index.alerts.map((a) => a.alert.metadata.name);
    expect(indexed).not.toContain('suspended');
    expect(indexed).not.toContain('muted-provider');
    expect(indexed).toContain('by-name');

    const withoutProvider = new ConfigSet(
      config.all().filter((o) => !(o.kind === 'Provider' && o.metadata.namespace === 'team-a')),
    );
    const rebuilt = AlertIndex.fromConfig(withoutProvider);
    expect(names(rebuilt, event('Kustomization/team-a/api'))).toEqual([
      'flux-system/every-namespace',
      'flux-system/team-a-kustomizations',
      'flux-system/web-team',
    ]);
  });

  it('agrees with testing every Alert on every combination of object, severity and message', () => {
    const objects = [
      'Kustomization/flux-system/apps',
      'Kustomization/flux-system/infra',
      'Kustomization/team-a/api',
      'Kustomization/team-a/apps',
      'GitRepository/flux-system/fleet',
      'GitRepository/team-a/fleet',
      'ImagePolicy/flux-system/apps',
    ];
    const messages = [
      'applied',
      'stored artifact for main@sha1:1',
      'clone: waiting on socket',
      'artifact DEV',
    ];
    let matched = 0;
    for (const o of objects)
      for (const m of messages)
        for (const s of ['info', 'error'] as const) {
          const e = event(o, m, s);
          const naive = index.alerts.filter((a) => a.matches(e, index.labelsOf)).map((a) => a.alert);
          expect(index.match(e)).toEqual(naive);
          matched += naive.length;
        }
    expect(matched).toBeGreaterThan(50);
  });
});
