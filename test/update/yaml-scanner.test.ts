import { describe, expect, it } from 'vitest';
import type { Node } from 'yaml';
import { Document, isCollection, isScalar, parseAllDocuments, Scalar, visit } from 'yaml';
import { decodeScalar } from '../../lib/update/scalar-edit.ts';
import { scanYaml } from '../../lib/update/yaml-scanner.ts';

const TOKEN = '$imagepolicy';
const MARK = ' {"$imagepolicy": "ns:p"}';

/** What the scanner says: each marked value's decoded text, and each document's identity. */
function scanned(text: string) {
  const { documents, comments } = scanYaml(text, TOKEN);
  return {
    marked: comments.map((c) =>
      c.target === undefined
        ? null
        : c.target === 'block-scalar'
          ? 'block-scalar'
          : decodeScalar(text, c.target),
    ),
    spans: comments.flatMap((c) =>
      c.target && c.target !== 'block-scalar' ? [[c.target.start, c.target.end]] : [],
    ),
    values: comments.flatMap((c) =>
      c.target && c.target !== 'block-scalar' ? [decodeScalar(text, c.target)] : [],
    ),
    identities: documents.map((d) =>
      [d.apiVersion, d.kind, d.namespace, d.name].map((s) => (s ? decodeScalar(text, s) : undefined)),
    ),
  };
}

/** What the `yaml` package says about the same text. */
function oracle(text: string) {
  const spans: number[][] = [];
  const values: string[] = [];
  const identities: (string | undefined)[][] = [];
  for (const doc of parseAllDocuments(text) as Document[]) {
    if (doc.errors.length > 0) throw new Error(`oracle cannot parse: ${doc.errors[0]?.message}`);
    if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) continue;
    visit(doc, {
      Scalar(key, node) {
        const line = node.comment?.split('\n')[0] ?? '';
        if (key !== 'key' && line.includes(TOKEN) && !String(node.type).startsWith('BLOCK') && node.range) {
          spans.push([node.range[0], node.range[1]]);
          values.push(typeof node.value === 'string' ? node.value : text.slice(node.range[0], node.range[1]));
        }
      },
    });
    const read = (path: string[]) => {
      const node = doc.getIn(path, true);
      return isScalar(node) && node.value !== null ? String(node.value) : undefined;
    };
    identities.push([
      read(['apiVersion']),
      read(['kind']),
      read(['metadata', 'namespace']),
      read(['metadata', 'name']),
    ]);
  }
  return { spans, values, identities };
}

const CASES: { label: string; text: string; marked: (string | null)[]; oracle?: false }[] = [
  { label: 'plain value', text: 'a: b:1 #{"$imagepolicy": "ns:p"}\n', marked: ['b:1'] },
  { label: 'quoted key', text: '"a": \'b\' # {"$imagepolicy": "ns:p"}\n', marked: ['b'] },
  { label: 'sequence item', text: 'a:\n- x:1 # {"$imagepolicy": "ns:p"}\n- y\n', marked: ['x:1'] },
  { label: 'compact nested', text: '- - x # {"$imagepolicy": "ns:p"}\n', marked: ['x'] },
  { label: 'a key is not a value', text: 'a: # {"$imagepolicy": "ns:p"}\n  b\n', marked: [null] },
  { label: 'comment line', text: 'a: b\n# {"$imagepolicy": "ns:p"}\n', marked: [null] },
  { label: 'after a flow close', text: 'a: [b, c] # {"$imagepolicy": "ns:p"}\n', marked: [null] },
  { label: 'after a flow comma', text: 'a: [b, # {"$imagepolicy": "ns:p"}\n  c]\n', marked: ['b'] },
  { label: 'block scalar header', text: 'a: |- # {"$imagepolicy": "ns:p"}\n  x\n', marked: ['block-scalar'] },
  {
    label: 'inside a block scalar',
    text: 'a: >\n  b: c # {"$imagepolicy": "ns:p"}\n\n  d\ne: f # {"$imagepolicy": "ns:p"}\n',
    marked: ['f'],
  },
  {
    label: 'block scalar at the sequence indent',
    text: 'a:\n- |\n x # {"$imagepolicy": "ns:p"}\n- y # {"$imagepolicy": "ns:p"}\n',
    marked: ['y'],
  },
  {
    label: 'multi-line double quotes',
    text: 'a: "one\n  two \\\n  three" # {"$imagepolicy": "ns:p"}\n',
    marked: ['one two three'],
  },
  {
    label: 'escaped line break',
    text: 'a: "one\\\n  two" # {"$imagepolicy": "ns:p"}\n',
    marked: ['onetwo'],
  },
  {
    label: 'multi-line plain',
    text: 'a: one\n  two\n\n  three # {"$imagepolicy": "ns:p"}\n',
    marked: ['one two\nthree'],
  },
  { label: 'hash inside a value', text: 'a: b#c # {"$imagepolicy": "ns:p"}\n', marked: ['b#c'] },
  { label: 'hash inside quotes', text: 'a: "b # {\\"$imagepolicy\\": 1}"\n', marked: [] },
  { label: 'anchor and tag', text: 'a: &x !!str b # {"$imagepolicy": "ns:p"}\n', marked: ['b'] },
  { label: 'alias', text: 'a: &x b\nc: *x # {"$imagepolicy": "ns:p"}\n', marked: [null] },
  {
    label: 'document markers and directives',
    text: '%YAML 1.2\n--- x # {"$imagepolicy": "ns:p"}\n...\n---\n- y # {"$imagepolicy": "ns:p"}\n',
    marked: ['x', 'y'],
  },
  { label: 'byte order mark', text: '\ufeffa: b # {"$imagepolicy": "ns:p"}\n', marked: ['b'] },
  { label: 'CR LF', text: 'a:\r\n  - b # {"$imagepolicy": "ns:p"}\r\n', marked: ['b'] },
  { label: 'tab separation', text: 'a:\tb\t# {"$imagepolicy": "ns:p"}\n', marked: ['b'] },
  { label: 'no final line break', text: 'a: b # {"$imagepolicy": "ns:p"}', marked: ['b'] },
  {
    label: 'flow key with adjacent colon',
    text: '{"a":b, # {"$imagepolicy": "ns:p"}\n c: d}\n',
    marked: ['b'],
  },
  // The yaml package gives a comment after the last entry's comma to the collection; a marker there
  // still follows a scalar on its line, so it annotates that scalar.
  {
    label: 'after the last comma',
    text: '[a, b, # {"$imagepolicy": "ns:p"}\n]\n',
    marked: ['b'],
    oracle: false,
  },
];

describe('YAML scanner', () => {
  it.each(CASES)('$label', ({ text, marked, oracle: compare }) => {
    expect(scanned(text).marked).toEqual(marked);
    if (compare !== false) expect(scanned(text).spans).toEqual(oracle(text).spans);
  });

  it('reads identities from block and flow metadata, in every document', () => {
    const text = [
      'kind: Deployment\napiVersion: apps/v1\nmetadata:\n  labels: {name: not-this}\n  name: web\n  namespace: "apps"\n',
      '---\n{apiVersion: v1, kind: Pod, metadata: {name: p, namespace: n}}\n',
      '---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  name: no\n',
      '--- # empty\n---\nitems:\n- kind: not-this\n',
    ].join('');
    expect(scanned(text).identities).toEqual([
      ['apps/v1', 'Deployment', 'apps', 'web'],
      ['v1', 'Pod', 'n', 'p'],
      ['v1', 'ConfigMap', undefined, 'c'],
      [undefined, undefined, undefined, undefined],
    ]);
    expect(scanned(text).identities).toEqual(oracle(text).identities);
  });

  it('agrees with a full YAML parse on a seeded corpus of generated documents', () => {
    const random = seeded(20240611);
    for (let n = 0; n < 300; n++) {
      const docs = Array.from({ length: 1 + Math.floor(random() * 3) }, () => generateDocument(random));
      const joined = docs.join('---\n');
      const text = random() < 0.3 ? joined.replaceAll('\n', '\r\n') : joined;
      const ours = scanned(text);
      const theirs = oracle(text);
      expect({ n, spans: ours.spans }).toEqual({ n, spans: theirs.spans });
      expect({ n, values: ours.values }).toEqual({ n, values: theirs.values });
      expect({ n, identities: ours.identities }).toEqual({ n, identities: theirs.identities });
    }
  });
});

function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = [
  'ghcr.io/team/app:1.2.3',
  'redis:7.2.0@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
  'it is: a # trap',
  "it's",
  'say "hi"',
  '1.10',
  'true',
  '',
  'line one\nline two',
  'tab\there',
  'ümlaut ✓',
  'a rather long value that will be folded when the line width is small enough to fold it',
  '- dash',
  '{not: flow}',
];
const KEYS = ['image', 'name', 'tag', 'kind', 'a key', 'x:y', 'spec', 'items'];

function generateDocument(random: () => number): string {
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)] as T;
  const value = (depth: number): unknown => {
    const r = random();
    if (depth > 3 || r < 0.45) return r < 0.1 ? Math.floor(random() * 100) : pick(WORDS);
    if (r < 0.75)
      return Object.fromEntries(
        Array.from({ length: 1 + Math.floor(random() * 4) }, () => [pick(KEYS), value(depth + 1)]),
      );
    return Array.from({ length: 1 + Math.floor(random() * 4) }, () => value(depth + 1));
  };
  const doc = new Document({
    apiVersion: pick(['v1', 'apps/v1']),
    kind: pick(['Pod', 'Deployment']),
    metadata: { name: pick(['web', 'my app', 'x:y']), ...(random() < 0.5 ? { namespace: 'apps' } : {}) },
    spec: value(0),
  });
  visit(doc, {
    Node(key, node: Node, path) {
      if (isCollection(node) && random() < 0.25) node.flow = true;
      if (isScalar(node) && key !== 'key') {
        // Identities in block scalars are not read (no manifest writes `kind: |`), so only spec gets them.
        const inSpec = (path[2] as { key?: { value?: unknown } } | undefined)?.key?.value === 'spec';
        node.type = pick<Scalar.Type>([
          Scalar.PLAIN,
          Scalar.QUOTE_SINGLE,
          Scalar.QUOTE_DOUBLE,
          Scalar.PLAIN,
          ...(inSpec ? [Scalar.BLOCK_LITERAL as Scalar.Type] : []),
        ]);
        if (random() < 0.4) node.comment = MARK;
      }
    },
  });
  return doc.toString({ lineWidth: random() < 0.5 ? 40 : 0, minContentWidth: 10, indentSeq: random() < 0.5 });
}
