/**
 * Flux's commit template data (TemplateData) modelled as commit-template.ts describes, built from
 * a plain description that the Go oracle (go-oracle/main.go) turns into the same Go structs.
 */

import {
  NamespacedName,
  ObjectIdentifier,
  TemplateChange,
  TemplateData,
  TemplateResult,
} from '../../../lib/update/index.ts';

export interface FluxChangeSpec {
  oldValue: string;
  newValue: string;
  setter: string;
}

export interface FluxObjectSpec {
  apiVersion: string;
  kind: string;
  name: string;
  namespace: string;
  changes: FluxChangeSpec[];
}

export interface FluxSpec {
  automation: { name: string; namespace: string };
  files: Record<string, FluxObjectSpec[]>;
  values: Record<string, string>;
}

/**
 * The data as the update job builds it (lib/update/commit-template-data.ts), from the description:
 * the template cases then check ferry's own classes against what Go renders.
 */
export function fluxTemplateData(spec: FluxSpec): TemplateData {
  const files: Record<string, Map<ObjectIdentifier, TemplateChange[]>> = {};
  const objects = new Map<ObjectIdentifier, TemplateChange[]>();
  const changes: TemplateChange[] = [];
  const seen = new Set<string>();
  for (const path of Object.keys(spec.files).sort()) {
    const byObject = new Map<ObjectIdentifier, TemplateChange[]>();
    for (const o of spec.files[path] ?? []) {
      const id = new ObjectIdentifier(o.apiVersion, o.kind, o.name, o.namespace);
      const list = o.changes.map((c) => new TemplateChange(c.oldValue, c.newValue, c.setter));
      byObject.set(id, list);
      objects.set(id, list);
      for (const change of list) {
        const key = JSON.stringify([change.OldValue, change.NewValue, change.Setter]);
        if (!seen.has(key)) {
          seen.add(key);
          changes.push(change);
        }
      }
    }
    files[path] = byObject;
  }
  return new TemplateData(
    new NamespacedName(spec.automation.name, spec.automation.namespace),
    new TemplateResult(files, changes, objects),
    { ...spec.values },
  );
}

/** Two files, three changes: a Deployment's image, and a HelmRelease's tag and digest. */
export const FLEET_UPDATE: FluxSpec = {
  automation: { name: 'podinfo-update', namespace: 'flux-system' },
  files: {
    'apps/redis/release.yaml': [
      {
        apiVersion: 'helm.toolkit.fluxcd.io/v2',
        kind: 'HelmRelease',
        name: 'redis',
        namespace: 'apps',
        changes: [
          { oldValue: '7.2.3', newValue: '7.2.4', setter: 'flux-system:redis:tag' },
          {
            oldValue: `sha256:${'a'.repeat(64)}`,
            newValue: `sha256:${'b'.repeat(64)}`,
            setter: 'flux-system:redis:digest',
          },
        ],
      },
    ],
    'apps/podinfo/deployment.yaml': [
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: 'podinfo',
        namespace: 'apps',
        changes: [
          {
            oldValue: 'ghcr.io/stefanprodan/podinfo:5.0.2',
            newValue: 'ghcr.io/stefanprodan/podinfo:5.0.3',
            setter: 'flux-system:podinfo',
          },
        ],
      },
    ],
  },
  values: { cluster: 'prod', region: 'eu-west-1' },
};

/** The single change of Flux's own commit-and-push test. */
export const SINGLE_UPDATE: FluxSpec = {
  automation: { name: 'test-update', namespace: 'test-ns' },
  files: {
    'deploy.yaml': [
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: 'test',
        namespace: '',
        changes: [{ oldValue: 'helloworld:1.0.0', newValue: 'helloworld:1.0.1', setter: 'test-ns:policy1' }],
      },
    ],
  },
  values: {},
};
