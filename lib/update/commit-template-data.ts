/**
 * The data a commit message template sees, in Flux's TemplateData shape (see
 * lib/template/commit-template.ts for the contract): Go structs as classes, so that
 * `{{ .AutomationObject }}` prints `namespace/name` and a misspelt field is an error as in Flux.
 */
import type { UpdateResult } from './update-result.ts';

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

/** Field order matters: Go ranges over these keys comparing fields in declaration order. */
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

  constructor(oldValue: string, newValue: string, setter: string) {
    this.OldValue = oldValue;
    this.NewValue = newValue;
    this.Setter = setter;
  }
}

export class Result {
  FileChanges: Record<string, Map<ObjectIdentifier, Change[]>>;
  readonly #changes: Change[];
  readonly #objects: Map<ObjectIdentifier, Change[]>;

  constructor(
    fileChanges: Record<string, Map<ObjectIdentifier, Change[]>>,
    changes: Change[],
    objects: Map<ObjectIdentifier, Change[]>,
  ) {
    this.FileChanges = fileChanges;
    this.#changes = changes;
    this.#objects = objects;
  }

  /** Every distinct change, files in path order (Flux's order is Go's random map order). */
  Changes(): Change[] {
    return this.#changes;
  }

  Objects(): Map<ObjectIdentifier, Change[]> {
    return this.#objects;
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

/** Builds the template data of one update, sharing ObjectIdentifier instances between views. */
export function commitTemplateData(
  automation: { namespace: string; name: string },
  result: UpdateResult,
  values: Record<string, string> = {},
): TemplateData {
  const ids = new Map<object, ObjectIdentifier>();
  const idOf = (o: { apiVersion: string; kind: string; name: string; namespace?: string }) => {
    let id = ids.get(o);
    if (!id) {
      id = new ObjectIdentifier(o.apiVersion, o.kind, o.name, o.namespace ?? '');
      ids.set(o, id);
    }
    return id;
  };
  const changeOf = (c: { oldValue: string; newValue: string; setter: string }) =>
    new Change(c.oldValue, c.newValue, c.setter);

  const files: Record<string, Map<ObjectIdentifier, Change[]>> = {};
  for (const path of [...result.fileChanges.keys()].sort()) {
    const objects = result.fileChanges.get(path);
    files[path] = new Map([...(objects ?? [])].map(([o, changes]) => [idOf(o), changes.map(changeOf)]));
  }
  const objects = new Map([...result.objects].map(([o, changes]) => [idOf(o), changes.map(changeOf)]));
  return new TemplateData(
    new NamespacedName(automation.name, automation.namespace),
    new Result(files, result.changes.map(changeOf), objects),
    { ...values },
  );
}
