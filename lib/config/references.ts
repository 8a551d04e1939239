/**
 * Cross-object checks, run once every document has been read: each reference names an object that
 * exists (a reference's namespace defaults to the referrer's), Secrets hold the keys their users
 * need, and Kustomization dependencies do not go round in a circle. A reference to an object whose
 * own document failed is not reported again: its document's issues already say what is wrong.
 */
import type { ConfigIssue } from './config-error.ts';
import { type FluxKind, type FluxObject, type Kustomization, objectKey } from './flux-object.ts';

interface Reference {
  path: string;
  kind: FluxKind;
  namespace: string;
  name: string;
  /** Keys the referenced Secret must hold. */
  keys?: string[];
}

/** Every reference problem among `objects`; `failedKeys` are objects whose documents did not validate. */
export function checkReferences(
  objects: readonly FluxObject[],
  failedKeys: ReadonlySet<string>,
): ConfigIssue[] {
  const byKey = new Map(objects.map((o) => [objectKey(o), o]));
  const issues: ConfigIssue[] = [];
  for (const o of objects) {
    const report = (path: string, message: string) =>
      issues.push({ file: o.source.file, document: o.source.document, object: objectKey(o), path, message });

    if (o.kind === 'Kustomization' && o.spec.sourceRef.kind !== 'GitRepository') {
      report(
        'spec.sourceRef.kind',
        `${o.spec.sourceRef.kind} is not supported by ferry; only GitRepository sources are`,
      );
    }
    for (const ref of referencesOf(o)) {
      const key = `${ref.kind}/${ref.namespace}/${ref.name}`;
      const target = byKey.get(key);
      if (target === undefined) {
        if (!failedKeys.has(key)) report(ref.path, `${ref.kind} ${ref.namespace}/${ref.name} does not exist`);
        continue;
      }
      if (target.kind !== 'Secret') continue;
      for (const k of ref.keys ?? []) {
        if (!(k in target.values))
          report(ref.path, `Secret ${ref.namespace}/${ref.name} has no key ${JSON.stringify(k)}`);
      }
    }
  }
  issues.push(...dependencyCycles(objects.filter((o): o is Kustomization => o.kind === 'Kustomization')));
  return issues;
}

/** The objects `o` names, with the field each is named in. */
function referencesOf(o: FluxObject): Reference[] {
  const ns = o.metadata.namespace;
  const refs: Reference[] = [];
  const secret = (path: string, ref: { name: string } | undefined, keys?: string[]) => {
    if (ref !== undefined) refs.push({ path, kind: 'Secret', namespace: ns, name: ref.name, keys });
  };
  switch (o.kind) {
    case 'GitRepository':
      secret('spec.secretRef', o.spec.secretRef);
      secret('spec.proxySecretRef', o.spec.proxySecretRef);
      secret('spec.verify.secretRef', o.spec.verify?.secretRef);
      o.spec.include?.forEach((include, i) => {
        refs.push({
          path: `spec.include[${i}].repository`,
          kind: 'GitRepository',
          namespace: ns,
          name: include.repository.name,
        });
      });
      break;
    case 'Kustomization': {
      const source = o.spec.sourceRef;
      if (source.kind === 'GitRepository') {
        refs.push({
          path: 'spec.sourceRef',
          kind: 'GitRepository',
          namespace: source.namespace ?? ns,
          name: source.name,
        });
      }
      o.spec.dependsOn?.forEach((dep, i) => {
        refs.push({
          path: `spec.dependsOn[${i}]`,
          kind: 'Kustomization',
          namespace: dep.namespace ?? ns,
          name: dep.name,
        });
      });
      const kubeConfigSecret = o.spec.kubeConfig?.secretRef;
      secret(
        'spec.kubeConfig.secretRef',
        kubeConfigSecret,
        kubeConfigSecret && [kubeConfigSecret.key ?? 'value'],
      );
      secret('spec.decryption.secretRef', o.spec.decryption?.secretRef);
      o.spec.postBuild?.substituteFrom?.forEach((from, i) => {
        if (from.optional) return;
        const path = `spec.postBuild.substituteFrom[${i}]`;
        if (from.kind === 'Secret') secret(path, from);
        else refs.push({ path, kind: 'ConfigMap', namespace: ns, name: from.name });
      });
      break;
    }
    case 'ImageRepository':
      secret('spec.secretRef', o.spec.secretRef);
      secret('spec.certSecretRef', o.spec.certSecretRef);
      secret('spec.proxySecretRef', o.spec.proxySecretRef);
      break;
    case 'ImagePolicy': {
      const repo = o.spec.imageRepositoryRef;
      refs.push({
        path: 'spec.imageRepositoryRef',
        kind: 'ImageRepository',
        namespace: repo.namespace ?? ns,
        name: repo.name,
      });
      break;
    }
    case 'ImageUpdateAutomation': {
      const source = o.spec.sourceRef;
      refs.push({
        path: 'spec.sourceRef',
        kind: 'GitRepository',
        namespace: source.namespace ?? ns,
        name: source.name,
      });
      secret('spec.git.commit.signingKey.secretRef', o.spec.git.commit.signingKey?.secretRef);
      break;
    }
    case 'Provider':
      secret('spec.secretRef', o.spec.secretRef);
      secret('spec.certSecretRef', o.spec.certSecretRef);
      secret('spec.proxySecretRef', o.spec.proxySecretRef);
      break;
    case 'Alert':
      refs.push({ path: 'spec.providerRef', kind: 'Provider', namespace: ns, name: o.spec.providerRef.name });
      break;
    case 'Receiver':
      // The token authenticates senders and names the webhook path; without it the Receiver cannot work.
      secret('spec.secretRef', o.spec.secretRef, ['token']);
      break;
  }
  return refs;
}

/** One issue per dependsOn cycle, on the first Kustomization of the cycle in key order. */
function dependencyCycles(kustomizations: readonly Kustomization[]): ConfigIssue[] {
  const byKey = new Map(kustomizations.map((k) => [objectKey(k), k]));
  const dependencies = (k: Kustomization) =>
    (k.spec.dependsOn ?? [])
      .map((dep) => `Kustomization/${dep.namespace ?? k.metadata.namespace}/${dep.name}`)
      .filter((key) => byKey.has(key));

  const issues: ConfigIssue[] = [];
  const done = new Set<string>();
  const reported = new Set<string>();
  const visit = (key: string, trail: string[]) => {
    const seenAt = trail.indexOf(key);
    if (seenAt >= 0) {
      const cycle = trail.slice(seenAt);
      const first = [...cycle].sort()[0] as string;
      const signature = [...cycle].sort().join(' ');
      if (reported.has(signature)) return;
      reported.add(signature);
      const start = cycle.indexOf(first);
      const ordered = [...cycle.slice(start), ...cycle.slice(0, start), first];
      const owner = byKey.get(first) as Kustomization;
      issues.push({
        file: owner.source.file,
        document: owner.source.document,
        object: first,
        path: 'spec.dependsOn',
        message: `dependency cycle: ${ordered.map((k) => k.slice('Kustomization/'.length)).join(' → ')}`,
      });
      return;
    }
    if (done.has(key)) return;
    const k = byKey.get(key) as Kustomization;
    for (const dep of dependencies(k)) visit(dep, [...trail, key]);
    done.add(key);
  };
  for (const key of [...byKey.keys()].sort()) visit(key, []);
  return issues;
}
