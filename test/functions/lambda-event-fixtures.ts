/**
 * Lambda events as AWS documents them, built for the handler tests: API Gateway HTTP API (payload
 * 2.0), Function URL (the same payload, `$default` route, a lambda-url domain), the EventBridge
 * scheduled event and the ECR "ECR Image Action" event.
 */
import { randomUUID } from 'node:crypto';
import type { EventBridgeEvent, HttpEventV2 } from '../../functions/lambda-events.ts';
import type { EcrImageActionDetail } from '../../lib/receivers/ecr.ts';

export interface HttpRequestSpec {
  method: string;
  path: string;
  query?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Send the body base64-encoded, as API Gateway and Function URLs do for non-text content. */
  base64?: boolean;
}

const time = (d: Date) =>
  `${String(d.getUTCDate()).padStart(2, '0')}/${d.toLocaleString('en', { month: 'short', timeZone: 'UTC' })}/${d.getUTCFullYear()}:${d.toISOString().slice(11, 19)} +0000`;

function payloadV2(spec: HttpRequestSpec, routeKey: string, domainName: string, apiId: string): HttpEventV2 {
  const now = new Date();
  const headers: Record<string, string> = { 'user-agent': 'ferry-test', ...lowercase(spec.headers ?? {}) };
  const raw = spec.body === undefined ? null : Buffer.from(spec.body);
  return {
    version: '2.0',
    routeKey,
    rawPath: spec.path,
    rawQueryString: spec.query ?? '',
    headers: { ...headers, host: domainName, 'x-forwarded-proto': 'https', 'x-forwarded-port': '443' },
    requestContext: {
      accountId: '123456789012',
      apiId,
      authentication: null,
      authorizer: undefined as never,
      domainName,
      domainPrefix: apiId,
      http: {
        method: spec.method,
        path: spec.path,
        protocol: 'HTTP/1.1',
        sourceIp: '192.0.2.10',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: time(now),
      timeEpoch: now.getTime(),
    },
    body: raw === null ? null : spec.base64 ? raw.toString('base64') : raw.toString('utf8'),
    isBase64Encoded: spec.base64 === true,
  };
}

/** An API Gateway HTTP API event for the route ferry's stack defines for the path. */
export function apiGatewayV2Event(spec: HttpRequestSpec): HttpEventV2 {
  const route = spec.path.startsWith('/hook/')
    ? `${spec.method} /hook/{digest}`
    : `${spec.method} ${spec.path}`;
  const event = payloadV2(spec, route, 'r3pmxmplak.execute-api.us-east-1.amazonaws.com', 'r3pmxmplak');
  if (spec.path.startsWith('/hook/')) event.pathParameters = { digest: spec.path.slice('/hook/'.length) };
  return event;
}

/** A Lambda Function URL event. */
export function functionUrlEvent(spec: HttpRequestSpec): HttpEventV2 {
  return payloadV2(
    spec,
    '$default',
    'a7pmxmpl3x2trwslkqm4mwcbxi0ctnlc.lambda-url.us-east-1.on.aws',
    'a7pmxmpl3x2trwslkqm4mwcbxi0ctnlc',
  );
}

export function scheduledEvent(at = new Date()): EventBridgeEvent<Record<string, never>> {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: '123456789012',
    time: at.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: 'us-east-1',
    resources: ['arn:aws:events:us-east-1:123456789012:rule/ferry-test-schedule'],
    detail: {},
  };
}

export function ecrImageActionEvent(
  detail: EcrImageActionDetail,
  options: { account?: string; region?: string } = {},
): EventBridgeEvent<EcrImageActionDetail> {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'ECR Image Action',
    source: 'aws.ecr',
    account: options.account ?? '123456789012',
    time: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: options.region ?? 'us-east-1',
    resources: [],
    detail,
  };
}

function lowercase(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}
