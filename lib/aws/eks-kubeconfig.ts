/**
 * Kubeconfigs of EKS clusters, as `aws eks update-kubeconfig` writes them: the user runs
 * `aws eks get-token --cluster-name NAME [--region R]` as an exec plugin. A function has no `aws`
 * command and should spawn nothing, so such a user is rewritten to ferry's own auth provider,
 * `auth-provider: {name: ferry-eks, config: {cluster-name, region}}`, whose token ferry signs itself
 * (eks-token.ts). A Secret may also use that form directly. Pure: text in, text out.
 */
import { parse, stringify } from 'yaml';
import { TerminalError } from '../errors.ts';

export const EKS_AUTH_PROVIDER = 'ferry-eks';

export interface EksAuthConfig {
  clusterName: string;
  /** Absent: the function's own region. */
  region?: string;
}

/** The exec form names options ferry cannot honour (an assumed role, a profile). */
export class EksKubeconfigError extends TerminalError {}

const UNSUPPORTED = ['--role-arn', '--profile'];

/**
 * The kubeconfig with every `aws eks get-token` user rewritten to the ferry-eks provider, or
 * undefined when it has none (it is then used as it is). `source` names the Secret in errors.
 */
export function rewriteEksUsers(kubeconfigYaml: string, source: string): string | undefined {
  let document: unknown;
  try {
    document = parse(kubeconfigYaml);
  } catch {
    return undefined; // connectCluster reports unreadable kubeconfigs, without quoting them.
  }
  const users = (document as { users?: unknown } | null)?.users;
  if (!Array.isArray(users)) return undefined;
  let rewritten = false;
  for (const entry of users as Array<{ name?: string; user?: Record<string, unknown> }>) {
    const exec = entry?.user?.exec as { command?: unknown; args?: unknown } | undefined;
    const auth = exec ? eksExecAuth(exec, `${source} user ${entry.name ?? ''}`.trim()) : undefined;
    if (!auth || !entry.user) continue;
    const config: Record<string, string> = { 'cluster-name': auth.clusterName };
    if (auth.region) config.region = auth.region;
    entry.user = { 'auth-provider': { name: EKS_AUTH_PROVIDER, config } };
    rewritten = true;
  }
  return rewritten ? stringify(document) : undefined;
}

/** The cluster and region of an `aws eks get-token` exec plugin; undefined for any other plugin. */
export function eksExecAuth(
  exec: { command?: unknown; args?: unknown },
  source: string,
): EksAuthConfig | undefined {
  const command = typeof exec.command === 'string' ? exec.command.split('/').at(-1) : undefined;
  const args = Array.isArray(exec.args) ? exec.args.map(String) : [];
  if (command !== 'aws' || !args.includes('eks') || !args.includes('get-token')) return undefined;
  const option = (name: string) => {
    const at = args.findIndex((a) => a === name || a.startsWith(`${name}=`));
    if (at < 0) return undefined;
    return args[at]!.includes('=') ? args[at]!.slice(name.length + 1) : args[at + 1];
  };
  for (const name of UNSUPPORTED) {
    if (option(name) !== undefined)
      throw new EksKubeconfigError(`${source}: aws eks get-token ${name} is not supported by ferry`, {
        data: { source, option: name, reason: 'NotSupported' },
      });
  }
  const clusterName = option('--cluster-name') ?? option('--cluster-id');
  if (!clusterName)
    throw new EksKubeconfigError(`${source}: aws eks get-token names no --cluster-name`, {
      data: { source },
    });
  const region = option('--region');
  return region ? { clusterName, region } : { clusterName };
}

/** The ferry-eks provider's settings of a kubeconfig user, as client-node hands the user over. */
export function eksAuthOf(user: {
  authProvider?: { name?: string; config?: Record<string, string> };
}): EksAuthConfig | undefined {
  const provider = user.authProvider;
  if (provider?.name !== EKS_AUTH_PROVIDER) return undefined;
  const clusterName = provider.config?.['cluster-name'];
  if (!clusterName) return undefined;
  const region = provider.config?.region;
  return region ? { clusterName, region } : { clusterName };
}
