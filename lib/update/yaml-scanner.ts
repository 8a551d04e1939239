/**
 * A single pass over a YAML stream that finds what the setters need and nothing more: each
 * document's identity (`apiVersion`, `kind`, `metadata.name`, `metadata.namespace`) and each
 * comment holding a token, with the value scalar it follows on the same line. It knows the
 * lexical structure (quoted and block scalars, flow collections, multi-line plain scalars,
 * document markers) and block indentation, but builds no tree: a full parse of every marked file
 * is what makes setter runs slow, and the edit needs only the scalar's source range.
 *
 * A marker annotates the value scalar just before it on its line, with only blanks (and, in a
 * flow collection, one `,`) between; after a closing `]` or `}` it belongs to the collection and
 * annotates nothing. That is where YAML parsers put a line comment.
 */
import type { ScalarSpan, ScalarStyle } from './scalar-edit.ts';

export interface ScannedDocument {
  start: number;
  end: number;
  apiVersion?: ScalarSpan;
  kind?: ScalarSpan;
  name?: ScalarSpan;
  namespace?: ScalarSpan;
}

export interface TokenComment {
  /** Offset of the `#`. */
  start: number;
  /** Offset of the end of the comment line, before its line break. */
  end: number;
  document: number;
  /** The value the comment follows, `block-scalar` after a `|`/`>` header, or nothing. */
  target: ScalarSpan | 'block-scalar' | undefined;
}

export interface ScanResult {
  documents: ScannedDocument[];
  comments: TokenComment[];
}

interface BlockFrame {
  indent: number;
  seq: boolean;
  key: string | undefined;
}

interface FlowFrame {
  seq: boolean;
  key: string | undefined;
}

const SP = 32;
const TAB = 9;
const LF = 10;
const CR = 13;
const HASH = 35;
const DASH = 45;
const DOT = 46;
const COLON = 58;
const QUESTION = 63;
const COMMA = 44;
const DQUOTE = 34;
const SQUOTE = 39;
const LBRACKET = 91;
const RBRACKET = 93;
const LBRACE = 123;
const RBRACE = 125;
const AMP = 38;
const BANG = 33;
const STAR = 42;
const PIPE = 124;
const GT = 62;
const PERCENT = 37;
const BOM = 0xfeff;

const isBlank = (c: number) => c === SP || c === TAB;
/** NaN (past the end) counts as a break. */
const isBreakOrEnd = (c: number) => c === LF || c === CR || Number.isNaN(c);
const isBlankOrEnd = (c: number) => isBlank(c) || isBreakOrEnd(c);
const styleAt = (c: number): ScalarStyle => (c === DQUOTE ? 'double' : c === SQUOTE ? 'single' : 'plain');
const isFlowIndicator = (c: number) =>
  c === COMMA || c === LBRACKET || c === RBRACKET || c === LBRACE || c === RBRACE;

/** Scans `text` for documents and for the comments that contain `token`. */
export function scanYaml(text: string, token: string): ScanResult {
  return new YamlScanner(text, token).run();
}

class YamlScanner {
  private readonly text: string;
  private readonly token: string;
  private readonly len: number;
  private pos = 0;
  private nextToken: number;
  private readonly documents: ScannedDocument[] = [];
  private readonly comments: TokenComment[] = [];
  private doc: ScannedDocument = { start: 0, end: 0 };
  private docHasContent = false;
  private block: BlockFrame[] = [];
  private flow: FlowFrame[] = [];
  private lastValue: ScalarSpan | undefined;
  private blockScalar: { parent: number; content: number | undefined } | undefined;
  private openPlain: { span: ScalarSpan; minIndent: number } | undefined;
  private lineStart = 0;

  constructor(text: string, token: string) {
    this.text = text;
    this.token = token;
    this.len = text.length;
    this.nextToken = text.indexOf(token);
  }

  private code(i: number): number {
    return this.text.charCodeAt(i);
  }

  run(): ScanResult {
    if (this.code(0) === BOM) this.pos = 1;
    while (this.pos < this.len) this.line();
    this.endDocument(this.len);
    return { documents: this.documents, comments: this.comments };
  }

  private line(): void {
    const start = this.pos;
    this.lineStart = start;
    let i = start;
    while (this.code(i) === SP) i++;
    const indent = i - start;
    let j = i;
    while (this.code(j) === TAB) j++;
    const c = this.code(j);
    if (isBreakOrEnd(c)) {
      this.pos = this.skipBreak(j);
      return;
    }
    if (indent === 0 && this.isMarker(i, DASH)) {
      this.endDocument(start);
      this.startDocument(start);
      this.blockContent(this.skipBlanks(i + 3));
      return;
    }
    if (indent === 0 && this.isMarker(i, DOT)) {
      this.endDocument(start);
      this.startDocument(this.skipBreak(this.lineEnd(i)));
      this.finishLine(i + 3);
      return;
    }
    if (this.blockScalar) {
      const scalar = this.blockScalar;
      if (scalar.content === undefined && indent > scalar.parent) scalar.content = indent;
      if (scalar.content !== undefined && indent >= scalar.content) {
        this.pos = this.skipBreak(this.lineEnd(j));
        return;
      }
      this.blockScalar = undefined;
    }
    if (this.openPlain) {
      const open = this.openPlain;
      if (c !== HASH && indent >= open.minIndent) {
        open.span.end = this.plainEnd(j, false);
        this.finishLine(open.span.end);
        return;
      }
      this.openPlain = undefined;
    }
    if (c === HASH) {
      this.finishLine(j);
      return;
    }
    if (indent === 0 && c === PERCENT && !this.docHasContent) {
      this.pos = this.skipBreak(this.lineEnd(j));
      return;
    }
    this.blockContent(j);
  }

  private isMarker(i: number, c: number): boolean {
    return (
      this.code(i) === c && this.code(i + 1) === c && this.code(i + 2) === c && isBlankOrEnd(this.code(i + 3))
    );
  }

  private startDocument(start: number): void {
    this.doc = { start, end: start };
    this.docHasContent = false;
    this.block = [];
    this.flow = [];
    this.lastValue = undefined;
    this.blockScalar = undefined;
    this.openPlain = undefined;
  }

  private endDocument(end: number): void {
    this.doc.end = end;
    if (this.docHasContent) this.documents.push(this.doc);
  }

  /** Block-context tokens from `i` to the end of the line (or further, for multi-line nodes). */
  private blockContent(i: number): void {
    for (;;) {
      const c = this.code(i);
      const col = i - this.lineStart;
      if (isBreakOrEnd(c) || c === HASH) {
        this.finishLine(i);
        return;
      }
      this.docHasContent = true;
      if ((c === DASH || c === QUESTION) && isBlankOrEnd(this.code(i + 1))) {
        if (c === DASH) this.seqEntry(col);
        else this.mapKey(col, undefined);
        i = this.skipBlanks(i + 1);
        continue;
      }
      if (c === COLON && isBlankOrEnd(this.code(i + 1))) {
        i = this.skipBlanks(i + 1);
        continue;
      }
      if (c === AMP || c === BANG) {
        i = this.skipBlanks(this.propertyEnd(i));
        continue;
      }
      if (c === PIPE || c === GT) {
        this.blockScalarHeader(i);
        return;
      }
      let span: ScalarSpan | undefined;
      let end: number;
      if (c === LBRACKET || c === LBRACE) {
        end = this.flowCollection(i);
      } else if (c === STAR) {
        end = this.propertyEnd(i);
      } else {
        const style = styleAt(c);
        end = this.scalarEnd(i, style, false);
        span = { start: i, end, style, flow: false };
      }
      const after = this.skipBlanks(end);
      if (this.code(after) === COLON && isBlankOrEnd(this.code(after + 1))) {
        this.mapKey(col, span && this.keyText(span));
        i = this.skipBlanks(after + 1);
        continue;
      }
      if (span) {
        this.value(span);
        if (span.style === 'plain' && isBreakOrEnd(this.code(after))) {
          const top = this.block[this.block.length - 1];
          this.openPlain = { span, minIndent: top ? top.indent + 1 : 0 };
        }
      }
      this.finishLine(after);
      return;
    }
  }

  private seqEntry(col: number): void {
    const block = this.block;
    let top = block[block.length - 1];
    while (top && top.indent > col) {
      block.pop();
      top = block[block.length - 1];
    }
    if (!(top?.seq && top.indent === col)) block.push({ indent: col, seq: true, key: undefined });
  }

  private mapKey(col: number, key: string | undefined): void {
    const block = this.block;
    let top = block[block.length - 1];
    while (top && (top.indent > col || (top.indent === col && top.seq))) {
      block.pop();
      top = block[block.length - 1];
    }
    if (top && !top.seq && top.indent === col) top.key = key;
    else block.push({ indent: col, seq: false, key });
  }

  private blockScalarHeader(i: number): void {
    let j = i + 1;
    let explicit = 0;
    for (;;) {
      const c = this.code(j);
      if (c >= 49 && c <= 57) explicit = c - 48;
      else if (c !== 43 && c !== DASH) break;
      j++;
    }
    const top = this.block[this.block.length - 1];
    const parent = top ? top.indent : -1;
    this.blockScalar = { parent, content: explicit > 0 ? Math.max(parent, 0) + explicit : undefined };
    this.lastValue = undefined;
    this.finishLine(j, true);
  }

  /** The rest of a line after its last node: blanks, perhaps a comment, then the break. */
  private finishLine(i: number, blockHeader = false): void {
    let j = this.skipBlanks(i);
    const c = this.code(j);
    if (c === HASH) {
      j = this.comment(j, blockHeader);
    } else if (!isBreakOrEnd(c)) {
      j = this.lineEnd(j);
    }
    this.pos = this.skipBreak(j);
  }

  /** Records a comment holding the token; returns the end of the comment line. */
  private comment(hash: number, blockHeader = false): number {
    const end = this.lineEnd(hash);
    if (this.nextToken !== -1 && this.nextToken < hash) this.nextToken = this.text.indexOf(this.token, hash);
    if (this.nextToken !== -1 && this.nextToken < end) {
      this.comments.push({
        start: hash,
        end,
        document: this.documents.length,
        target: blockHeader ? 'block-scalar' : this.valueBefore(hash),
      });
      this.nextToken = this.text.indexOf(this.token, end);
    }
    return end;
  }

  private valueBefore(hash: number): ScalarSpan | undefined {
    const last = this.lastValue;
    if (!last) return undefined;
    let k = hash - 1;
    while (isBlank(this.code(k))) k--;
    if (this.code(k) === COMMA && last.flow) {
      k--;
      while (isBlank(this.code(k))) k--;
    }
    return last.end === k + 1 ? last : undefined;
  }

  private value(span: ScalarSpan): void {
    this.lastValue = span;
    const block = this.block;
    const flow = this.flow;
    const depth = block.length + flow.length;
    if (depth === 0 || depth > 2) return;
    const first = block[0] ?? flow[0];
    if (!first || first.seq) return;
    if (depth === 1) {
      if (first.key === 'apiVersion' || first.key === 'kind') this.doc[first.key] ??= span;
      return;
    }
    const second = block.length === 2 ? block[1] : block.length === 1 ? flow[0] : flow[1];
    if (first.key !== 'metadata' || !second || second.seq) return;
    if (second.key === 'name' || second.key === 'namespace') this.doc[second.key] ??= span;
  }

  private keyText(span: ScalarSpan): string {
    const raw = this.text.slice(span.start, span.end);
    return span.style === 'plain' ? raw : raw.slice(1, -1);
  }

  /** Scans a flow collection from its opening bracket; returns the offset after its closing one. */
  private flowCollection(i: number): number {
    const flow = this.flow;
    const base = flow.length;
    while (i < this.len) {
      const c = this.code(i);
      if (isBlank(c) || c === LF || c === CR) {
        i++;
      } else if (c === HASH) {
        i = this.comment(i);
      } else if (c === LBRACKET || c === LBRACE) {
        flow.push({ seq: c === LBRACKET, key: undefined });
        i++;
      } else if (c === RBRACKET || c === RBRACE) {
        flow.pop();
        i++;
        if (flow.length === base) return i;
      } else if (c === COMMA) {
        const top = flow[flow.length - 1];
        if (top) top.key = undefined;
        i++;
      } else if (c === COLON || (c === QUESTION && isBlankOrEnd(this.code(i + 1)))) {
        i++;
      } else if (c === AMP || c === BANG || c === STAR) {
        i = this.propertyEnd(i);
      } else {
        const style = styleAt(c);
        const end = this.scalarEnd(i, style, true);
        const span: ScalarSpan = { start: i, end, style, flow: true };
        const after = this.skipBlanks(end);
        const top = flow[flow.length - 1];
        if (
          this.code(after) === COLON &&
          (style !== 'plain' || isBlankOrEnd(this.code(after + 1)) || isFlowIndicator(this.code(after + 1)))
        ) {
          if (top) top.key = this.keyText(span);
          i = after + 1;
        } else {
          this.value(span);
          i = end;
        }
      }
    }
    flow.length = base;
    return i;
  }

  private scalarEnd(i: number, style: ScalarStyle, inFlow: boolean): number {
    if (style === 'double') return this.doubleEnd(i);
    return style === 'single' ? this.singleEnd(i) : this.plainEnd(i, inFlow);
  }

  /** The end of a plain scalar, trailing blanks excluded; in flow context it may span lines. */
  private plainEnd(i: number, inFlow: boolean): number {
    let end = i;
    let k = i;
    for (;;) {
      const c = this.code(k);
      if (Number.isNaN(c)) return end;
      if (c === LF || c === CR) {
        if (!inFlow) return end;
        let n = k;
        while (isBlank(this.code(n)) || this.code(n) === LF || this.code(n) === CR) n++;
        const next = this.code(n);
        if (Number.isNaN(next) || next === HASH || isFlowIndicator(next) || next === COLON) return end;
        k = n;
        continue;
      }
      if (c === COLON) {
        const n = this.code(k + 1);
        if (isBlankOrEnd(n) || (inFlow && isFlowIndicator(n))) return end;
      } else if (c === HASH) {
        if (isBlank(this.code(k - 1))) return end;
      } else if (inFlow && isFlowIndicator(c)) {
        return end;
      }
      k++;
      if (!isBlank(c)) end = k;
    }
  }

  private doubleEnd(i: number): number {
    let k = i + 1;
    while (k < this.len) {
      const c = this.code(k);
      if (c === 92) k += 2;
      else if (c === DQUOTE) return k + 1;
      else k++;
    }
    return this.len;
  }

  private singleEnd(i: number): number {
    let k = i + 1;
    while (k < this.len) {
      if (this.code(k) === SQUOTE) {
        if (this.code(k + 1) !== SQUOTE) return k + 1;
        k += 2;
      } else k++;
    }
    return this.len;
  }

  /** The end of an anchor, tag or alias token. */
  private propertyEnd(i: number): number {
    let k = i + 1;
    for (;;) {
      const c = this.code(k);
      if (isBlankOrEnd(c) || (this.flow.length > 0 && isFlowIndicator(c))) return k;
      k++;
    }
  }

  private skipBlanks(i: number): number {
    while (isBlank(this.code(i))) i++;
    return i;
  }

  private lineEnd(i: number): number {
    for (;;) {
      const c = this.code(i);
      if (c === LF || c === CR || Number.isNaN(c)) return i;
      i++;
    }
  }

  private skipBreak(i: number): number {
    const c = this.code(i);
    if (c === CR) return this.code(i + 1) === LF ? i + 2 : i + 1;
    return c === LF ? i + 1 : i;
  }
}
