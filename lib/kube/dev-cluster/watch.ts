import type { ServerResponse } from 'node:http';
import type { JsonObject } from './field-paths.ts';
import type { Change, ObjectStore } from './object-store.ts';
import { metaOf } from './object-store.ts';
import { groupVersionOf } from './resource-types.ts';
import type { ResourceAddress } from './router.ts';
import { matchesLabels, parseFieldSelector, parseLabelSelector } from './selectors.ts';
import { KubeStatusError } from './status-errors.ts';

/**
 * Streams watch events for a collection as newline-delimited JSON. Without a resourceVersion (or
 * with "0") it starts with the current objects as ADDED events, as the real API does; from a
 * version it replays the changes since, or sends 410 Expired once they are no longer kept.
 */
export function serveWatch(
  store: ObjectStore,
  address: ResourceAddress,
  query: URLSearchParams,
  res: ServerResponse,
  headers: Record<string, string>,
): () => void {
  const labels = parseLabelSelector(query.get('labelSelector') ?? '');
  const fields = parseFieldSelector(query.get('fieldSelector') ?? '');
  const { resource, namespace } = address;
  const inScope = (change: Change) =>
    change.resource.group === resource.group &&
    change.resource.resource === resource.resource &&
    (!resource.namespaced || namespace === undefined || metaOf(change.object).namespace === namespace) &&
    matchesLabels(labels, metaOf(change.object).labels) &&
    fields(metaOf(change.object));
  const send = (type: string, object: JsonObject) =>
    res.write(
      `${JSON.stringify({ type, object: { ...object, apiVersion: groupVersionOf(resource), kind: resource.kind } })}\n`,
    );

  const from = query.get('resourceVersion') ?? '';
  const fromNow = from === '' || from === '0';
  const missed = fromNow ? [] : store.changesSince(Number(from));
  res.writeHead(200, { ...headers, 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
  res.flushHeaders();
  if (missed === undefined) {
    const gone = new KubeStatusError(
      410,
      'Expired',
      `too old resource version: ${from} (${store.resourceVersion()})`,
    );
    res.end(`${JSON.stringify({ type: 'ERROR', object: gone.status })}\n`);
    return () => {};
  }
  if (fromNow) {
    for (const object of store.list(resource, resource.namespaced ? namespace : undefined)) {
      if (inScope({ type: 'ADDED', resource, object })) send('ADDED', object);
    }
  }
  for (const change of missed) if (inScope(change)) send(change.type, change.object);
  const unsubscribe = store.subscribe((change) => {
    if (inScope(change)) send(change.type, change.object);
  });
  const close = () => {
    clearTimeout(timer);
    unsubscribe();
    res.end();
  };
  const timer = setTimeout(close, Number(query.get('timeoutSeconds') ?? 1800) * 1000);
  res.on('close', close);
  return close;
}
