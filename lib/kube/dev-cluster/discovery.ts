import type { ResourceRegistry, ResourceType } from './resource-types.ts';
import { ALL_VERBS, groupVersionOf } from './resource-types.ts';

/** What `/version` answers; the git version names the simulator so nobody mistakes it for a cluster. */
export function versionInfo(): Record<string, string> {
  return {
    major: '1',
    minor: '32',
    gitVersion: 'v1.32.0+ferry-dev-cluster-simulator',
    gitCommit: '',
    gitTreeState: 'clean',
    buildDate: '2026-01-01T00:00:00Z',
    goVersion: '',
    compiler: '',
    platform: 'linux/amd64',
  };
}

/** `/api`: the legacy core group has one version. */
export function coreVersions(): Record<string, unknown> {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '' }],
  };
}

function groups(registry: ResourceRegistry): Map<string, string[]> {
  const byGroup = new Map<string, string[]>();
  for (const t of registry.all()) {
    if (t.group === '') continue;
    const versions = byGroup.get(t.group) ?? [];
    if (!versions.includes(t.version)) versions.push(t.version);
    byGroup.set(t.group, versions);
  }
  return byGroup;
}

function apiGroup(name: string, versions: string[]): Record<string, unknown> {
  const list = versions.map((version) => ({ groupVersion: `${name}/${version}`, version }));
  return { name, versions: list, preferredVersion: list[0] };
}

/** `/apis`: every named group with its versions, the first preferred. */
export function groupList(registry: ResourceRegistry): Record<string, unknown> {
  const all = [...groups(registry)].map(([name, versions]) => apiGroup(name, versions));
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: all };
}

/** `/apis/<group>`, or `undefined` for a group nothing serves. */
export function groupInfo(registry: ResourceRegistry, group: string): Record<string, unknown> | undefined {
  const versions = groups(registry).get(group);
  return versions ? { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(group, versions) } : undefined;
}

function resourceEntries(t: ResourceType): Record<string, unknown>[] {
  const main = {
    name: t.resource,
    singularName: t.singular,
    namespaced: t.namespaced,
    kind: t.kind,
    verbs: ALL_VERBS,
    ...(t.shortNames.length > 0 ? { shortNames: t.shortNames } : {}),
    ...(t.categories.length > 0 ? { categories: t.categories } : {}),
  };
  const sub = { singularName: '', namespaced: t.namespaced, verbs: ['get', 'patch', 'update'] };
  return [
    main,
    ...(t.statusSubresource ? [{ ...sub, name: `${t.resource}/status`, kind: t.kind }] : []),
    ...(t.scaleSubresource
      ? [{ ...sub, name: `${t.resource}/scale`, group: 'autoscaling', version: 'v1', kind: 'Scale' }]
      : []),
  ];
}

/** `/api/v1` or `/apis/<group>/<version>`: the resources and their subresources. */
export function resourceList(
  registry: ResourceRegistry,
  group: string,
  version: string,
): Record<string, unknown> | undefined {
  const types = registry.all().filter((t) => t.group === group && t.version === version);
  if (types.length === 0) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: groupVersionOf({ group, version }),
    resources: types.flatMap(resourceEntries),
  };
}
