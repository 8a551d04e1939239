import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { EksKubeconfigError, eksAuthOf, eksExecAuth, rewriteEksUsers } from '../../lib/aws/eks-kubeconfig.ts';

const kubeconfig = (exec: Record<string, unknown>) => `apiVersion: v1
kind: Config
clusters:
  - name: prod
    cluster: { server: https://ABC.gr7.eu-west-1.eks.amazonaws.com, certificate-authority-data: Q0E= }
contexts:
  - name: prod
    context: { cluster: prod, user: prod }
current-context: prod
users:
  - name: prod
    user:
      exec: ${JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1beta1', ...exec })}
`;

describe('eksExecAuth', () => {
  it.each([
    {
      label: 'what aws eks update-kubeconfig writes',
      exec: {
        command: 'aws',
        args: ['--region', 'eu-west-1', 'eks', 'get-token', '--cluster-name', 'prod', '--output', 'json'],
      },
      expected: { clusterName: 'prod', region: 'eu-west-1' },
    },
    {
      label: 'options with =, a full command path, no region',
      exec: { command: '/usr/local/bin/aws', args: ['eks', 'get-token', '--cluster-name=fleet'] },
      expected: { clusterName: 'fleet' },
    },
    {
      label: 'an outpost cluster by id',
      exec: { command: 'aws', args: ['eks', 'get-token', '--cluster-id', '0123-abcd'] },
      expected: { clusterName: '0123-abcd' },
    },
    { label: 'another plugin', exec: { command: 'gke-gcloud-auth-plugin', args: [] }, expected: undefined },
    {
      label: 'another aws command',
      exec: { command: 'aws', args: ['sts', 'get-caller-identity'] },
      expected: undefined,
    },
  ])('reads $label', ({ exec, expected }) => {
    expect(eksExecAuth(exec, 'Secret apps/prod')).toEqual(expected);
  });

  it.each([
    {
      label: 'an assumed role',
      args: ['eks', 'get-token', '--cluster-name', 'p', '--role-arn', 'arn:aws:iam::1:role/x'],
      option: '--role-arn',
    },
    {
      label: 'a profile',
      args: ['eks', 'get-token', '--cluster-name', 'p', '--profile', 'ops'],
      option: '--profile',
    },
    { label: 'no cluster', args: ['eks', 'get-token'], option: undefined },
  ])('refuses $label, naming the Secret', ({ args, option }) => {
    let error: unknown;
    try {
      eksExecAuth({ command: 'aws', args }, 'Secret apps/prod');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EksKubeconfigError);
    expect((error as Error).message).toContain('Secret apps/prod');
    if (option) expect((error as Error).message).toContain(option);
  });
});

describe('rewriteEksUsers', () => {
  it('replaces the exec plugin with the ferry-eks auth provider and keeps the rest', () => {
    const text = rewriteEksUsers(
      kubeconfig({
        command: 'aws',
        args: ['--region', 'eu-west-1', 'eks', 'get-token', '--cluster-name', 'prod'],
      }),
      'Secret apps/prod',
    );
    const document = parse(text ?? '');
    expect(document.users).toEqual([
      {
        name: 'prod',
        user: {
          'auth-provider': { name: 'ferry-eks', config: { 'cluster-name': 'prod', region: 'eu-west-1' } },
        },
      },
    ]);
    expect(document.clusters[0].cluster.server).toBe('https://ABC.gr7.eu-west-1.eks.amazonaws.com');
    expect(document['current-context']).toBe('prod');
  });

  it.each([
    { label: 'another exec plugin', text: kubeconfig({ command: 'kubelogin', args: ['get-token'] }) },
    { label: 'a token user', text: 'users: [{ name: a, user: { token: abc } }]\n' },
    { label: 'text that is not YAML', text: 'users: [unclosed' },
  ])('leaves $label alone', ({ text }) => {
    expect(rewriteEksUsers(text, 'Secret apps/prod')).toBeUndefined();
  });
});

describe('eksAuthOf', () => {
  it.each([
    {
      label: 'the provider with a region',
      user: { authProvider: { name: 'ferry-eks', config: { 'cluster-name': 'p', region: 'us-east-2' } } },
      expected: { clusterName: 'p', region: 'us-east-2' },
    },
    {
      label: 'the provider without',
      user: { authProvider: { name: 'ferry-eks', config: { 'cluster-name': 'p' } } },
      expected: { clusterName: 'p' },
    },
    { label: 'another provider', user: { authProvider: { name: 'oidc', config: {} } }, expected: undefined },
    { label: 'no provider', user: {}, expected: undefined },
  ])('reads $label', ({ user, expected }) => {
    expect(eksAuthOf(user as Parameters<typeof eksAuthOf>[0])).toEqual(expected);
  });
});
