/**
 * Cluster connections in a function: a kubeconfig Secret whose user runs `aws eks get-token`
 * reaches the cluster with a token ferry signs itself. The dev cluster stands in for the EKS API
 * server and accepts exactly the token an EKS cluster named `prod` would (fixed credentials and
 * clock make it known in advance); STS cannot run here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { EksClusterConnections } from '../../lib/aws/eks-cluster-connections.ts';
import { eksToken } from '../../lib/aws/eks-token.ts';
import { loadConfigFiles } from '../../lib/config/index.ts';
import type { DevCluster } from '../../lib/kube/dev-cluster/index.ts';
import { renderKubeconfig, startDevCluster } from '../../lib/kube/dev-cluster/index.ts';

const credentials = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
};

/** The dev cluster's kubeconfig with the user `aws eks update-kubeconfig` would write. */
function eksKubeconfig(server: string, clusterName: string): string {
  const document = parse(renderKubeconfig(server));
  document.users[0].user = {
    exec: {
      apiVersion: 'client.authentication.k8s.io/v1beta1',
      command: 'aws',
      args: ['--region', 'eu-west-1', 'eks', 'get-token', '--cluster-name', clusterName, '--output', 'json'],
    },
  };
  return stringify(document);
}

function config(kubeconfig: string) {
  return loadConfigFiles([
    {
      path: 'apps.yaml',
      content: `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: { name: apps }
spec:
  interval: 5m
  path: ./apps
  prune: true
  sourceRef: { kind: GitRepository, name: fleet }
  kubeConfig: { secretRef: { name: prod-kubeconfig } }
---
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: { name: fleet }
spec: { url: https://example.com/fleet.git, interval: 5m }
---
apiVersion: v1
kind: Secret
metadata: { name: prod-kubeconfig }
stringData:
  value: ${JSON.stringify(kubeconfig)}
`,
    },
  ]);
}

describe('EKS cluster connections', () => {
  let cluster: DevCluster;
  let now = new Date('2026-01-02T03:04:05Z');

  beforeAll(async () => {
    const expected = await eksToken({
      clusterName: 'prod',
      region: 'eu-west-1',
      credentials,
      now: () => now,
    });
    cluster = await startDevCluster({ port: 0, token: expected.token });
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  const namespacesWith = async (clusterName: string) => {
    const connections = new EksClusterConnections({ region: 'us-east-1', credentials, now: () => now });
    const loaded = config(eksKubeconfig(cluster.url, clusterName));
    const connection = connections.for(loaded.get('Kustomization', 'flux-system', 'apps')!, loaded);
    try {
      const list = await connection.api.list('v1', 'Namespace');
      return list.items.map((n) => n.metadata?.name);
    } finally {
      await connections.close();
    }
  };

  it('signs the token for the cluster the exec plugin names, spawning nothing', async () => {
    expect(await namespacesWith('prod')).toContain('kube-system');
  });

  it('is refused by the API server with a token for another cluster', async () => {
    await expect(namespacesWith('staging')).rejects.toThrow(/401|Unauthorized/);
  });

  it('keeps a token until it nears expiry, then signs a new one', async () => {
    const connections = new EksClusterConnections({ region: 'us-east-1', credentials, now: () => now });
    const loaded = config(eksKubeconfig(cluster.url, 'prod'));
    const connection = connections.for(loaded.get('Kustomization', 'flux-system', 'apps')!, loaded);
    const header = async () => {
      const options: { headers?: Record<string, string> } = {};
      await connection.config.applyToHTTPSOptions(options);
      return options.headers?.Authorization;
    };
    const first = await header();
    now = new Date(now.getTime() + 13 * 60_000);
    expect(await header()).toBe(first);
    now = new Date(now.getTime() + 60_000);
    const renewed = await header();
    expect(renewed).toMatch(/^Bearer k8s-aws-v1\./);
    expect(renewed).not.toBe(first);
    expect(connections.for(loaded.get('Kustomization', 'flux-system', 'apps')!, loaded)).toBe(connection);
    await connections.close();
    now = new Date('2026-01-02T03:04:05Z');
  });
});
