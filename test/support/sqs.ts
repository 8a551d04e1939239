/**
 * The SQS of DESIGN.md's test infrastructure: the `local-aws-sqs` server, in process, on a free
 * loopback port, with the AWS SDK client pointed at it.
 *
 * The server departs from real SQS FIFO queues in four ways that ferry's queue contract depends on.
 * Rather than weaken the adapter or the tests, the server's own code is loaded with four small
 * corrections (each must match exactly once, so a new server version fails loudly here instead of
 * silently testing something else):
 *
 * 1. Message groups: it hands out any visible message, even while an earlier message of its group
 *    is in flight. Real FIFO queues return a group's messages one batch at a time, in order.
 * 2. ChangeMessageVisibility raises ApproximateReceiveCount. On real SQS only a receive does.
 * 3. ApproximateNumberOfMessages counts in-flight messages. On real SQS it counts visible ones.
 * 4. A deleted message's deduplication id is forgotten at once. Real SQS keeps it for five minutes.
 *
 * Still different, and not relied on: redrive to the dead-letter queue happens when the visibility
 * timeout of the last allowed receive ends, not at the next receive; an empty receive takes at least
 * 40 ms.
 */
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { compileFunction } from 'node:vm';
import { SQSClient } from '@aws-sdk/client-sqs';
import { freePort } from './ports.ts';

export interface LocalSqs {
  endpoint: string;
  client: SQSClient;
  close(): Promise<void>;
}

interface Correction {
  why: string;
  find: string;
  replace: string;
}

const corrections: Correction[] = [
  {
    why: 'one message per group at a time (receive loop)',
    find: 'for(let y of S(this,E))if(!y.delayed){if(y.visible){',
    replace:
      'let held=new Set;for(let y of S(this,E)){let g=y.record.attributes.MessageGroupId;' +
      'if(this.FifoQueue&&g!==void 0){if(held.has(g))continue;held.add(g)}if(!y.delayed){if(y.visible){',
  },
  {
    why: 'one message per group at a time (closing brace)',
    find: 'if(r.length==e){clearInterval(c),clearTimeout(n),o();break}}},10)',
    replace: 'if(r.length==e){clearInterval(c),clearTimeout(n),o();break}}}},10)',
  },
  {
    why: 'ChangeMessageVisibility is not a receive',
    find: 'let n=Number(t.record.attributes.ApproximateReceiveCount)+1;',
    replace: 'let n=Number(t.record.attributes.ApproximateReceiveCount)+(i?0:1);',
  },
  {
    why: 'ApproximateNumberOfMessages counts visible messages only',
    find: 'ApproximateNumberOfMessages:String(S(this,E).filter(o=>!o.delayed).length)',
    replace: 'ApproximateNumberOfMessages:String(S(this,E).filter(o=>!o.delayed&&o.visible).length)',
  },
  {
    why: 'deduplication ids outlive deletion for five minutes (lookup)',
    find:
      'm(this,Ye,(t,e)=>this.DeduplicationScope=="queue"?S(this,E).find(i=>i.record.attributes.MessageDeduplicationId==e):' +
      'S(this,E).find(i=>i.record.attributes.MessageGroupId==t&&i.record.attributes.MessageDeduplicationId==e));',
    replace:
      'm(this,Ye,(t,e)=>{let all=[...S(this,E),...(this.deleted??=[]).filter(x=>Date.now()-x.at<3e5).map(x=>x.entry)];' +
      'return this.DeduplicationScope=="queue"?all.find(i=>i.record.attributes.MessageDeduplicationId==e):' +
      'all.find(i=>i.record.attributes.MessageGroupId==t&&i.record.attributes.MessageDeduplicationId==e)});',
  },
  {
    why: 'deduplication ids outlive deletion for five minutes (delete)',
    find: 'zt=function(t){',
    replace:
      'zt=function(t){this.deleted=(this.deleted??[]).filter(x=>Date.now()-x.at<3e5);' +
      'this.deleted.push({at:Date.now(),entry:S(this,E)[t]});',
  },
];

type CreateSqsServer = (options: { port: number; hostname?: string }) => Promise<Server>;

let corrected: CreateSqsServer | undefined;

/** The server's module, compiled from its own file with the corrections above applied. */
function loadCorrectedServer(): CreateSqsServer {
  if (corrected) return corrected;
  const require = createRequire(import.meta.url);
  const file = require.resolve('local-aws-sqs');
  let source = readFileSync(file, 'utf8');
  for (const { why, find, replace } of corrections) {
    const at = source.indexOf(find);
    if (at < 0 || source.indexOf(find, at + 1) >= 0) {
      throw new Error(
        `local-aws-sqs changed: the correction "${why}" no longer applies; review test/support/sqs.ts`,
      );
    }
    source = source.slice(0, at) + replace + source.slice(at + find.length);
  }
  const module = { exports: {} as { createSqsServer?: CreateSqsServer } };
  const load = compileFunction(source, ['exports', 'require', 'module', '__filename', '__dirname'], {
    filename: file,
  });
  load(module.exports, createRequire(file), module, file, dirname(file));
  if (typeof module.exports.createSqsServer !== 'function')
    throw new Error('local-aws-sqs exports no createSqsServer');
  corrected = module.exports.createSqsServer;
  return corrected;
}

/** Starts a local SQS server on 127.0.0.1 and a client for it (fake credentials, us-east-1). */
export async function startSqs(): Promise<LocalSqs> {
  const createSqsServer = loadCorrectedServer();
  const port = await freePort();
  const server = await createSqsServer({ port, hostname: '127.0.0.1' });
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new SQSClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'fake', secretAccessKey: 'fake' },
  });
  return {
    endpoint,
    client,
    async close() {
      client.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
