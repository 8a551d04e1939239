/**
 * Flux's commit template data (TemplateData) modelled as commit-template.ts describes, built from
 * a plain description that the Go oracle (go-oracle/main.go) turns into the same Go structs.
 */

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

export class NamespacedName {
  Name: string;
  Namespace: string;

  constructor(name: string, namespace: string) {
    this.Name = name;
    this.Namespace = namespace;
  }

  String(): string {
    return `${this.Namespace}/${this.Name}`;
  }
}

export class ObjectIdentifier {
  APIVersion: string;
  Kind: string;
  Name: string;
  Namespace: string;

  constructor(apiVersion: string, kind: string, name: string, namespace: string) {
    this.APIVersion = apiVersion;
    this.Kind = kind;
    this.Name = name;
    this.Namespace = namespace;
  }
}

export class Change {
  OldValue: string;
  NewValue: string;
  Setter: string;

  constructor(spec: FluxChangeSpec) {
    this.OldValue = spec.oldValue;
    this.NewValue = spec.newValue;
    this.Setter = spec.setter;
  }
}

export class Result {
  FileChanges: Record<string, Map<ObjectIdentifier, Change[]>>;

  constructor(fileChanges: Record<string, Map<ObjectIdentifier, Change[]>>) {
    this.FileChanges = fileChanges;
  }

  /** Distinct changes, files in path order and objects in insertion order. */
  Changes(): Change[] {
    const seen = new Set<string>();
    const result: Change[] = [];
    for (const path of Object.keys(this.FileChanges).sort()) {
      for (const changes of this.FileChanges[path]?.values() ?? []) {
        for (const change of changes) {
          const key = JSON.stringify([change.OldValue, change.NewValue, change.Setter]);
          if (!seen.has(key)) {
            seen.add(key);
            result.push(change);
          }
        }
      }
    }
    return result;
  }

  Objects(): Map<ObjectIdentifier, Change[]> {
    const result = new Map<ObjectIdentifier, Change[]>();
    for (const path of Object.keys(this.FileChanges).sort()) {
      for (const [object, changes] of this.FileChanges[path] ?? []) result.set(object, changes);
    }
    return result;
  }
}

export class TemplateData {
  AutomationObject: NamespacedName;
  Changed: Result;
  Values: Record<string, string>;

  constructor(automation: NamespacedName, changed: Result, values: Record<string, string>) {
    this.AutomationObject = automation;
    this.Changed = changed;
    this.Values = values;
  }
}

export function fluxTemplateData(spec: FluxSpec): TemplateData {
  const files: Record<string, Map<ObjectIdentifier, Change[]>> = {};
  for (const [path, objects] of Object.entries(spec.files)) {
    files[path] = new Map(
      objects.map((o) => [
        new ObjectIdentifier(o.apiVersion, o.kind, o.name, o.namespace),
        o.changes.map((c) => new Change(c)),
      ]),
    );
  }
  return new TemplateData(
    new NamespacedName(spec.automation.name, spec.automation.namespace),
    new Result(files),
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
