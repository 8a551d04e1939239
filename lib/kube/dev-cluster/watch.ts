import type { ServerResponse } from 'node:http';
import type { JsonObject } from './field-paths.ts';
import type { ObjectStore } from './object-store.ts';
import { metaOf } from './object-store.ts';
import { groupVersionOf } from './resource-types.ts';
import type { ResourceAddress } from './router.ts';
import { matchesLabels, parseFieldSelector, parseLabelSelector } from './selectors.ts';

/**
 * Streams watch events for a collection as newline-delimited JSON. Without a resourceVersion (or
 * with "0") it starts with the current objects as ADDED events, as the real API does; the simulator
 * keeps no history, so a watch from an older version sees only what happens next.
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
  const inScope = (o: JsonObject) =>
    (!resource.namespaced || namespace === undefined || metaOf(o).namespace === namespace) &&
    matchesLabels(labels, metaOf(o).labels) &&
    fields(metaOf(o));
  const send = (type: string, object: JsonObject) =>
    res.write(
      `${JSON.stringify({ type, object: { ...object, apiVersion: groupVersionOf(resource), kind: resource.kind } })}\n`,
    );

  res.writeHead(200, { ...headers, 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
  res.flushHeaders();
  const from = query.get('resourceVersion') ?? '';
  if (from === '' || from === '0') {
    for (const o of store.list(resource, resource.namespaced ? namespace : undefined))
      if (inScope(o)) send('ADDED', o);
  }
  const unsubscribe = store.subscribe((change) => {
    const same = change.resource.group === resource.group && change.resource.resource === resource.resource;
    if (same && inScope(change.object)) send(change.type, change.object);
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
