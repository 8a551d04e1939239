/**
 * The EKS token against an independent computation of the SigV4 presigned URL (node:crypto, the
 * algorithm as AWS documents it), with fixed credentials and clock. STS cannot run here.
 */
import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { EKS_TOKEN_PREFIX, eksToken } from '../../lib/aws/eks-token.ts';

const credentials = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
};
const now = () => new Date('2026-01-02T03:04:05Z');

/** The URL a token carries: `k8s-aws-v1.` + unpadded base64url. */
function urlOf(token: string): URL {
  expect(token.startsWith(EKS_TOKEN_PREFIX)).toBe(true);
  const encoded = token.slice(EKS_TOKEN_PREFIX.length);
  expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
  return new URL(Buffer.from(encoded, 'base64url').toString('utf8'));
}

const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();
const hex = (data: string) => createHash('sha256').update(data).digest('hex');
const rfc3986 = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** SigV4 of a presigned GET, computed from the URL's own parameters and the signed headers. */
function expectedSignature(
  url: URL,
  headers: Record<string, string>,
  region: string,
  secret: string,
): string {
  const query = [...url.searchParams]
    .filter(([k]) => k !== 'X-Amz-Signature')
    .map(([k, v]) => `${rfc3986(k)}=${rfc3986(v)}`)
    .sort()
    .join('&');
  const names = Object.keys(headers).sort();
  const canonical = [
    'GET',
    '/',
    query,
    names.map((n) => `${n}:${headers[n]}\n`).join(''),
    names.join(';'),
    hex(''),
  ].join('\n');
  const amzDate = url.searchParams.get('X-Amz-Date') ?? '';
  const scope = `${amzDate.slice(0, 8)}/${region}/sts/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, hex(canonical)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, amzDate.slice(0, 8)), region), 'sts'), 'aws4_request');
  return createHmac('sha256', key).update(toSign).digest('hex');
}

describe('EKS token', () => {
  it.each([
    {
      label: 'a commercial region',
      cluster: 'prod',
      region: 'eu-west-1',
      host: 'sts.eu-west-1.amazonaws.com',
    },
    {
      label: 'a China region',
      cluster: 'cn-fleet',
      region: 'cn-north-1',
      host: 'sts.cn-north-1.amazonaws.com.cn',
    },
  ])(
    'is a presigned GetCallerIdentity on $label whose signature covers x-k8s-aws-id',
    async ({ cluster, region, host }) => {
      const { token, expiresAt } = await eksToken({ clusterName: cluster, region, credentials, now });
      const url = urlOf(token);
      expect(url.origin).toBe(`https://${host}`);
      expect(url.pathname).toBe('/');
      const params = Object.fromEntries(url.searchParams);
      expect(params).toMatchObject({
        Action: 'GetCallerIdentity',
        Version: '2011-06-15',
        'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
        'X-Amz-Credential': `AKIDEXAMPLE/20260102/${region}/sts/aws4_request`,
        'X-Amz-Date': '20260102T030405Z',
        'X-Amz-Expires': '60',
        'X-Amz-SignedHeaders': 'host;x-k8s-aws-id',
      });
      expect(params['X-Amz-Signature']).toBe(
        expectedSignature(url, { host, 'x-k8s-aws-id': cluster }, region, credentials.secretAccessKey),
      );
      expect(expiresAt.toISOString()).toBe('2026-01-02T03:18:05.000Z');
    },
  );

  it('signs for one cluster only: another cluster name gives another signature', async () => {
    const a = urlOf((await eksToken({ clusterName: 'a', region: 'us-east-1', credentials, now })).token);
    const b = urlOf((await eksToken({ clusterName: 'b', region: 'us-east-1', credentials, now })).token);
    expect(a.searchParams.get('X-Amz-Signature')).not.toBe(b.searchParams.get('X-Amz-Signature'));
  });

  it('carries a session token when the credentials have one', async () => {
    const url = urlOf(
      (
        await eksToken({
          clusterName: 'prod',
          region: 'us-east-1',
          credentials: async () => ({ ...credentials, sessionToken: 'session/token+1' }),
          now,
        })
      ).token,
    );
    expect(url.searchParams.get('X-Amz-Security-Token')).toBe('session/token+1');
    expect(url.searchParams.get('X-Amz-Signature')).toBe(
      expectedSignature(
        url,
        { host: 'sts.us-east-1.amazonaws.com', 'x-k8s-aws-id': 'prod' },
        'us-east-1',
        credentials.secretAccessKey,
      ),
    );
  });
});
