/**
 * Flux's documented commit message templates, taken from YAML as a user writes them in
 * `spec.git.commit.messageTemplate` (block scalars strip their indentation, `|` keeps one final
 * newline, `|-` none), rendered over realistic data.
 */
import { parse } from 'yaml';
import type { RenderCase } from './case.ts';
import { FLEET_UPDATE, SINGLE_UPDATE } from './flux-data.ts';

function messageTemplate(yaml: string): string {
  return (parse(yaml) as { messageTemplate: string }).messageTemplate;
}

const FILES_AND_OBJECTS = messageTemplate(`
messageTemplate: |
  Automated image update

  Automation name: {{ .AutomationObject }}

  Files:
  {{ range $filename, $_ := .Changed.FileChanges -}}
  - {{ $filename }}
  {{ end -}}

  Objects:
  {{ range $resource, $changes := .Changed.Objects -}}
  - {{ $resource.Kind }} {{ $resource.Name }}
    Changes:
  {{- range $_, $change := $changes }}
      - {{ $change.OldValue }} -> {{ $change.NewValue }}
  {{ end -}}
  {{ end -}}
`);

const WITH_FUNCTIONS = messageTemplate(`
messageTemplate: |
  Automated image update

  Automation name: {{ .AutomationObject }}

  Files:
  {{ range $filename, $_ := .Changed.FileChanges -}}
  - {{ $filename }}
  {{ end -}}

  Objects:
  {{ range $resource, $changes := .Changed.Objects -}}
  - {{ $resource.Kind | lower }} {{ $resource.Name | lower }}
    Changes:
  {{- range $_, $change := $changes }}
    {{ if contains "5.0.3" $change.NewValue -}}
      - {{ $change.OldValue }} -> {{ $change.NewValue }}
    {{ else -}}
      [skip ci] wrong image
    {{ end -}}
  {{ end -}}
  {{ end -}}
`);

const WITH_VALUES = messageTemplate(`
messageTemplate: |-
  Automated image update by Flux for cluster {{ .Values.cluster }}.
`);

const ONE_LINE_PER_CHANGE = messageTemplate(`
messageTemplate: '{{range .Changed.Changes}}{{print .OldValue}} -> {{println
  .NewValue}}{{end}}'
`);

const PER_FILE = messageTemplate(`
messageTemplate: |
  Commit summary with ResultV2

  Automation: {{ .AutomationObject }}

  {{ range $filename, $objchange := .Changed.FileChanges -}}
  - File: {{ $filename }}
  {{- range $obj, $changes := $objchange }}
    - Object: {{ $obj.Kind }}/{{ $obj.Namespace }}/{{ $obj.Name }}
      Changes:
  {{- range $_ , $change := $changes }}
      - {{ $change.OldValue }} -> {{ $change.NewValue }}
  {{ end -}}
  {{ end -}}
  {{ end -}}
`);

/** Gerrit's Change-Id example: hashes the printed data, so only its shape is Flux's. */
export const GERRIT_TEMPLATE = messageTemplate(`
messageTemplate: |
  Perform automatic image update

  Automation name: {{ .AutomationObject }}

  {{- $ChangeId := .AutomationObject -}}
  {{- $ChangeId = printf "%s%s" $ChangeId ( .Changed.FileChanges | toString ) -}}
  {{- $ChangeId = printf "%s%s" $ChangeId ( .Changed.Objects | toString ) -}}
  {{- $ChangeId = printf "%s%s" $ChangeId ( .Changed.Changes | toString ) }}
  Change-Id: {{ printf "I%s" ( sha256sum $ChangeId | trunc 40 ) }}
`);

const digest = (c: string): string => `sha256:${c.repeat(64)}`;

export const COMMIT_CASES: RenderCase[] = [
  {
    label: 'the files and objects example',
    template: FILES_AND_OBJECTS,
    flux: FLEET_UPDATE,
    expected: `Automated image update

Automation name: flux-system/podinfo-update

Files:
- apps/podinfo/deployment.yaml
- apps/redis/release.yaml
Objects:
- Deployment podinfo
  Changes:
    - ghcr.io/stefanprodan/podinfo:5.0.2 -> ghcr.io/stefanprodan/podinfo:5.0.3
- HelmRelease redis
  Changes:
    - 7.2.3 -> 7.2.4

    - ${digest('a')} -> ${digest('b')}
`,
  },
  {
    label: 'the example with lower and contains',
    template: WITH_FUNCTIONS,
    flux: FLEET_UPDATE,
    expected: `Automated image update

Automation name: flux-system/podinfo-update

Files:
- apps/podinfo/deployment.yaml
- apps/redis/release.yaml
Objects:
- deployment podinfo
  Changes:
  - ghcr.io/stefanprodan/podinfo:5.0.2 -> ghcr.io/stefanprodan/podinfo:5.0.3
  - helmrelease redis
  Changes:
  [skip ci] wrong image
  
  [skip ci] wrong image
  `,
  },
  {
    label: 'the example with messageTemplateValues',
    template: WITH_VALUES,
    flux: FLEET_UPDATE,
    expected: 'Automated image update by Flux for cluster prod.',
  },
  {
    label: 'the one-line-per-change example',
    template: ONE_LINE_PER_CHANGE,
    flux: FLEET_UPDATE,
    expected: `ghcr.io/stefanprodan/podinfo:5.0.2 -> ghcr.io/stefanprodan/podinfo:5.0.3
7.2.3 -> 7.2.4
${digest('a')} -> ${digest('b')}
`,
  },
  {
    label: "Flux's own per-file template",
    template: PER_FILE,
    flux: SINGLE_UPDATE,
    expected: `Commit summary with ResultV2

Automation: test-ns/test-update

- File: deploy.yaml
  - Object: Deployment//test
    Changes:
    - helloworld:1.0.0 -> helloworld:1.0.1
`,
  },
  {
    label: 'the per-file template over two files',
    template: PER_FILE,
    flux: FLEET_UPDATE,
    expected: `Commit summary with ResultV2

Automation: flux-system/podinfo-update

- File: apps/podinfo/deployment.yaml
  - Object: Deployment/apps/podinfo
    Changes:
    - ghcr.io/stefanprodan/podinfo:5.0.2 -> ghcr.io/stefanprodan/podinfo:5.0.3
- File: apps/redis/release.yaml
  - Object: HelmRelease/apps/redis
    Changes:
    - 7.2.3 -> 7.2.4

    - ${digest('a')} -> ${digest('b')}
`,
  },
  {
    label: 'values by index, ranged in key order',
    template: '{{ index .Values "region" }}{{ range $k, $v := .Values }} {{ $k }}={{ $v }}{{ end }}',
    flux: FLEET_UPDATE,
    expected: 'eu-west-1 cluster=prod region=eu-west-1',
  },
  {
    label: 'a summary line with counts',
    template:
      '{{ len .Changed.FileChanges }} files, {{ len .Changed.Changes }} changes by {{ .AutomationObject.Name }}',
    flux: FLEET_UPDATE,
    expected: '2 files, 3 changes by podinfo-update',
  },
];
