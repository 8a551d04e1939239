/**
 * The bearer token an EKS API server accepts for an IAM identity, made the way `aws eks get-token`
 * makes it but without spawning anything: a presigned STS GetCallerIdentity URL whose signature
 * covers the header `x-k8s-aws-id: <cluster name>` (so a token for one cluster is refused by
 * another), valid for 60 s of presigning, encoded as `k8s-aws-v1.` + unpadded base64url. EKS honours
 * such a token for 15 minutes; `expiresAt` leaves a minute's margin, as the CLI does.
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';

export interface EksTokenOptions {
  clusterName: string;
  region: string;
  credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  now?: () => Date;
}

export interface EksToken {
  token: string;
  expiresAt: Date;
}

export const EKS_TOKEN_PREFIX = 'k8s-aws-v1.';
const PRESIGN_SECONDS = 60;
const VALID_MS = 14 * 60_000;

export async function eksToken(options: EksTokenOptions): Promise<EksToken> {
  const { clusterName, region, now = () => new Date() } = options;
  const signingDate = now();
  const hostname = `sts.${region}.${region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com'}`;
  const signer = new SignatureV4({
    credentials: options.credentials,
    region,
    service: 'sts',
    sha256: Sha256,
  });
  const signed = await signer.presign(
    {
      method: 'GET',
      protocol: 'https:',
      hostname,
      path: '/',
      query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
      headers: { host: hostname, 'x-k8s-aws-id': clusterName },
    },
    { expiresIn: PRESIGN_SECONDS, signingDate },
  );
  const query = Object.entries(signed.query ?? {})
    .flatMap(([key, value]) => (Array.isArray(value) ? value : [value]).map((v) => [key, v ?? ''] as const))
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
    .join('&');
  const url = `https://${hostname}/?${query}`;
  return {
    token: EKS_TOKEN_PREFIX + Buffer.from(url, 'utf8').toString('base64url'),
    expiresAt: new Date(signingDate.getTime() + VALID_MS),
  };
}
