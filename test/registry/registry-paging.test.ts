/**
 * Paging, throttling and failing registries. The registry we run (CNCF distribution 2.8) ignores `n`
 * and sends every tag in one page, and never throttles; Docker Hub and Quay page (Quay at most 100
 * tags a page, whatever `n` asks) and answer 429 with Retry-After. We cannot run those, so a small
 * local HTTP server stands in for them here: it pages as they document, with relative or absolute
 * `Link` headers, and fails on cue.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { failureClassOf } from '../../lib/errors.ts';
import {
  HostRateLimiter,
  type ImageName,
  parseImageName,
  RegistryClient,
  RegistryProtocolError,
  RegistryUnavailableError,
} from '../../lib/registry/index.ts';
import { captureLogs } from '../support/log-capture.ts';

type Failure = { status: number; headers?: Record<string, string> };
type Behaviour = {
  tags: string[];
  /** The most tags a page holds, whatever `n` asks. */
  cap: number;
  link: 'relative' | 'absolute' | 'loop' | 'elsewhere';
  /** Answers for the next requests, before paging resumes. */
  failures: Failure[];
  /** The Authorization header a page needs; a Basic challenge otherwise. */
  authorization?: string;
};

let server: Server;
let host: string;
let behaviour: Behaviour;
let requests: URL[];

const TAGS_50K = Array.from({ length: 50_000 }, (_, i) => `1.0.${i}`);

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://${host}`);
    requests.push(url);
    const failure = behaviour.failures.shift();
    if (failure !== undefined) {
      res.writeHead(failure.status, { 'Content-Type': 'application/json', ...failure.headers });
      res.end('{"errors":[{"code":"TOOMANYREQUESTS","message":"slow down"}]}');
      return;
    }
    if (behaviour.authorization !== undefined && req.headers.authorization !== behaviour.authorization) {
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="paging"' });
      res.end();
      return;
    }
    const n = Math.min(Number(url.searchParams.get('n') ?? behaviour.cap), behaviour.cap);
    const last = url.searchParams.get('last');
    const start = last === null ? 0 : behaviour.tags.indexOf(last) + 1;
    const page = behaviour.tags.slice(start, start + n);
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    if (start + n < behaviour.tags.length) {
      const next = `/v2/team/app/tags/list?last=${encodeURIComponent(page.at(-1)!)}&n=${n}`;
      headers.Link = {
        relative: `<${next}>; rel="next"`,
        absolute: `<http://${host}${next}>; rel="next"`,
        loop: `<${url.pathname}${url.search}>; rel="next"`,
        elsewhere: `<http://elsewhere.example${next}>; rel="next"`,
      }[behaviour.link];
    }
    res.writeHead(200, headers);
    res.end(JSON.stringify({ name: 'team/app', tags: page }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

let now: number;
let waits: number[];
let limiter: HostRateLimiter;
let client: RegistryClient;
let app: ImageName;
const plain = { insecure: true };

beforeEach(() => {
  behaviour = { tags: TAGS_50K.slice(0, 2_500), cap: 1000, link: 'relative', failures: [] };
  requests = [];
  now = Date.parse('2030-01-01T00:00:00Z');
  waits = [];
  const clock = {
    now: () => now,
    sleep: async (ms: number) => {
      waits.push(ms);
      now += ms;
    },
  };
  limiter = new HostRateLimiter(clock);
  client = new RegistryClient({ ...clock, limiter });
  app = parseImageName(`${host}/team/app`);
});

describe('listing a paged repository', () => {
  it('lists 50,000 tags from a registry that caps pages at 100, each tag once, at the configured rate', async () => {
    behaviour = { ...behaviour, tags: TAGS_50K, cap: 100 };
    const progress: number[] = [];
    const tags = await client.listTags(app, { ...plain, onProgress: (count) => progress.push(count) });

    expect(tags).toEqual(TAGS_50K);
    expect(new Set(tags).size).toBe(50_000);
    expect(requests).toHaveLength(500);
    expect(
      requests.every((r) => r.searchParams.get('n') === (r.searchParams.has('last') ? '100' : '1000')),
    ).toBe(true);
    expect(progress).toEqual(Array.from({ length: 500 }, (_, i) => (i + 1) * 100));
    // A burst of 10, then 50 requests a second: 490 waits of 20 ms on the limiter's clock.
    expect(waits).toEqual(Array(490).fill(20));
  });

  it.each([
    ['relative', 'relative'],
    ['absolute', 'absolute'],
  ] as const)('follows %s Link headers until there is none', async (_, link) => {
    behaviour.link = link;
    expect(await client.listTags(app, plain)).toEqual(behaviour.tags);
    expect(requests.map((r) => r.searchParams.get('last'))).toEqual([null, '1.0.999', '1.0.1999']);
  });

  it('asks for the configured page size', async () => {
    const tags = await client.listTags(app, { ...plain, pageSize: 500 });
    expect(tags).toHaveLength(2_500);
    expect(requests.map((r) => r.searchParams.get('n'))).toEqual(['500', '500', '500', '500', '500']);
  });

  it('hands out pages as they come', async () => {
    const sizes: number[] = [];
    for await (const page of client.tagPages(app, plain)) sizes.push(page.length);
    expect(sizes).toEqual([1000, 1000, 500]);
  });

  it.each([
    ['loops back to a page it already sent', 'loop', /loops/],
    ['links to another host', 'elsewhere', /links to another host/],
  ] as const)('fails terminally when the registry %s', async (_, link, message) => {
    behaviour.link = link;
    const error = await client.listTags(app, plain).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryProtocolError);
    expect((error as Error).message).toMatch(message);
    expect(requests.length).toBeLessThanOrEqual(2);
  });
});

describe('a throttling or failing registry', () => {
  it('waits out a 429 for its Retry-After in seconds, then goes on at half the rate, losing no tag', async () => {
    const progress: number[] = [];
    const tags = await client.listTags(app, {
      ...plain,
      onProgress: (count) => {
        progress.push(count);
        if (count === 1000) behaviour.failures.push({ status: 429, headers: { 'Retry-After': '3' } });
      },
    });
    expect(tags).toEqual(behaviour.tags);
    expect(requests.map((r) => r.searchParams.get('last'))).toEqual([null, '1.0.999', '1.0.999', '1.0.1999']);
    // The pause, then an empty bucket refilling at 25 requests a second instead of 50.
    expect(waits).toEqual([3000, 40, 40]);
    expect(limiter.rateOf(host)).toBe(25);
    expect(progress).toEqual([1000, 2000, 2500]);
  });

  it('reads Retry-After as an HTTP date', async () => {
    const inFive = new Date(now + 5_000).toUTCString();
    behaviour.failures = [{ status: 429, headers: { 'Retry-After': inFive } }];
    expect(await client.listTags(app, plain)).toHaveLength(2_500);
    expect(waits[0]).toBe(5000);
  });

  it('backs off on 5xx and goes on when the registry recovers', async () => {
    behaviour.failures = [{ status: 503 }, { status: 502 }];
    expect(await client.listTags(app, plain)).toHaveLength(2_500);
    expect(waits).toEqual([500, 1000]);
    expect(requests).toHaveLength(5);
  });

  it('logs each retry with the host and status, and never the credentials', async () => {
    const credentials = { username: 'robot', password: 'robot-Pa55word' };
    const basic = Buffer.from('robot:robot-Pa55word').toString('base64');
    behaviour.authorization = `Basic ${basic}`;
    behaviour.failures = [{ status: 503 }];
    const logs = captureLogs();
    const logged = new RegistryClient({ now: () => now, sleep: async () => {}, logger: logs.log });
    expect(await logged.listTags(app, { ...plain, credentials })).toHaveLength(2_500);
    expect(logs.lines()).toEqual([
      expect.objectContaining({
        level: 'warn',
        host,
        repository: 'team/app',
        status: 503,
        attempt: 1,
        waitMs: 500,
        msg: 'registry answered 503; retrying',
      }),
    ]);
    expect(logs.text()).not.toContain('robot-Pa55word');
    expect(logs.text()).not.toContain(basic);
  });

  it('gives up after a bounded number of tries with a transient error', async () => {
    behaviour.failures = Array(10).fill({ status: 500 });
    const error = await client.listTags(app, plain).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryUnavailableError);
    expect(failureClassOf(error)).toBe('transient');
    expect((error as Error).message).toBe(`${host} answered 500 for team/app after 4 tries`);
    expect(requests).toHaveLength(4);
  });

  it('leaves a long Retry-After to the queue instead of waiting in the job', async () => {
    behaviour.failures = [{ status: 429, headers: { 'Retry-After': '3600' } }];
    const error = await client.listTags(app, plain).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryUnavailableError);
    expect((error as RegistryUnavailableError).retryAfterMs).toBe(3_600_000);
    expect(requests).toHaveLength(1);
    expect(waits).toEqual([]);
  });
});
