/**
 * The `Link` header of a paged tag listing (RFC 8288): `</v2/team/app/tags/list?last=x&n=100>; rel="next"`.
 * Distribution, Docker Hub and Quay send it relative; some registries send it absolute; a header can
 * carry several links, and `rel` several relation types.
 */

const LINK = /<([^>]*)>((?:\s*;\s*[^;,]*)*)/g;

/** The `rel="next"` target resolved against the URL of the page that carried it, or undefined. */
export function nextPageUrl(link: string | null | undefined, pageUrl: string | URL): URL | undefined {
  for (const match of (link ?? '').matchAll(LINK)) {
    const rel = relationOf(match[2] ?? '');
    if (rel.includes('next')) return new URL(match[1]!, pageUrl);
  }
  return undefined;
}

function relationOf(params: string): string[] {
  for (const param of params.split(';')) {
    const eq = param.indexOf('=');
    if (eq < 0 || param.slice(0, eq).trim().toLowerCase() !== 'rel') continue;
    const value = param
      .slice(eq + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1');
    return value.toLowerCase().split(/\s+/);
  }
  return [];
}
