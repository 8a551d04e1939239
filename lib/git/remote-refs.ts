/**
 * The remote's refs under a few prefixes, in whichever protocol it speaks best. Under v2 only the refs
 * asked for cross the wire (`ls-refs` with `ref-prefix`); a v0 server sends its whole advertisement,
 * which is filtered here. Either way the result carries what the fetch that follows needs: the
 * protocol and the capabilities to ask within.
 */
import { GitProtocolError } from './git-errors.ts';
import { lsRefsRequest, parseLsRefs } from './protocol-v2.ts';
import type { SmartHttp } from './smart-http.ts';

export type RemoteRefs = {
  protocol: 0 | 2;
  /** Ref name → oid (a tag object's oid for an annotated tag), only under the prefixes asked for. */
  refs: Map<string, string>;
  /** Annotated tag name → the object it finally points to, as the remote peeled it. */
  peeled: Map<string, string>;
  /** v0: the advertised capabilities; v2: the features of the `fetch` command. */
  capabilities: ReadonlySet<string>;
};

/** Lists the refs under `prefixes` (none: only learn the protocol, as a fetch by SHA needs). */
export async function listRemoteRefs(
  http: SmartHttp,
  url: string,
  prefixes: readonly string[],
): Promise<RemoteRefs> {
  const discovery = await http.discover();
  if (discovery.version === 0) {
    const refs = new Map<string, string>();
    const peeled = new Map<string, string>();
    for (const [name, oid] of discovery.advertisement.refs) {
      const base = name.endsWith('^{}') ? name.slice(0, -3) : name;
      if (!prefixes.some((prefix) => base.startsWith(prefix))) continue;
      if (base === name) refs.set(name, oid);
      else peeled.set(base, oid);
    }
    return { protocol: 0, refs, peeled, capabilities: discovery.advertisement.capabilities };
  }
  const { capabilities } = discovery;
  const fetch = capabilities.get('fetch');
  if (fetch === undefined || !capabilities.has('ls-refs')) {
    throw new GitProtocolError(`${url} speaks protocol v2 without ls-refs and fetch`, { data: { url } });
  }
  const features = new Set(fetch.split(' ').filter((feature) => feature !== ''));
  if (prefixes.length === 0)
    return { protocol: 2, refs: new Map(), peeled: new Map(), capabilities: features };
  const listed = parseLsRefs(
    await http.post('git-upload-pack', lsRefsRequest(prefixes), { protocolV2: true }),
  );
  return { protocol: 2, ...listed, capabilities: features };
}
