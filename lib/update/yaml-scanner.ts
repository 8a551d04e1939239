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
import type { ScalarSpan } from './scalar-edit.ts';
import {
  AMP,
  BANG,
  BOM,
  COLON,
  COMMA,
  CR,
  DASH,
  DOT,
  GT,
  HASH,
  isBlank,
  isBlankOrEnd,
  isBreakOrEnd,
  isDocumentMarker,
  isFlowIndicator,
  LBRACE,
  LBRACKET,
  LF,
  lineEnd,
  PERCENT,
  PIPE,
  propertyEnd,
  QUESTION,
  RBRACE,
  RBRACKET,
  SP,
  STAR,
  scalarEnd,
  skipBlanks,
  skipBreak,
  styleAt,
  TAB,
} from './yaml-lexemes.ts';

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
      this.pos = skipBreak(this.text, j);
      return;
    }
    if (indent === 0 && isDocumentMarker(this.text, i, DASH)) {
      this.endDocument(start);
      this.startDocument(start);
      this.blockContent(skipBlanks(this.text, i + 3));
      return;
    }
    if (indent === 0 && isDocumentMarker(this.text, i, DOT)) {
      this.endDocument(start);
      this.startDocument(skipBreak(this.text, lineEnd(this.text, i)));
      this.finishLine(i + 3);
      return;
    }
    if (this.blockScalar) {
      const scalar = this.blockScalar;
      if (scalar.content === undefined && indent > scalar.parent) scalar.content = indent;
      if (scalar.content !== undefined && indent >= scalar.content) {
        this.pos = skipBreak(this.text, lineEnd(this.text, j));
        return;
      }
      this.blockScalar = undefined;
    }
    if (this.openPlain) {
      const open = this.openPlain;
      if (c !== HASH && indent >= open.minIndent) {
        open.span.end = scalarEnd(this.text, j, 'plain', false);
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
      this.pos = skipBreak(this.text, lineEnd(this.text, j));
      return;
    }
    this.blockContent(j);
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
        i = skipBlanks(this.text, i + 1);
        continue;
      }
      if (c === COLON && isBlankOrEnd(this.code(i + 1))) {
        i = skipBlanks(this.text, i + 1);
        continue;
      }
      if (c === AMP || c === BANG) {
        i = skipBlanks(this.text, propertyEnd(this.text, i, this.flow.length > 0));
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
        end = propertyEnd(this.text, i, this.flow.length > 0);
      } else {
        const style = styleAt(c);
        end = scalarEnd(this.text, i, style, false);
        span = { start: i, end, style, flow: false };
      }
      const after = skipBlanks(this.text, end);
      if (this.code(after) === COLON && isBlankOrEnd(this.code(after + 1))) {
        this.mapKey(col, span && this.keyText(span));
        i = skipBlanks(this.text, after + 1);
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
    let j = skipBlanks(this.text, i);
    const c = this.code(j);
    if (c === HASH) {
      j = this.comment(j, blockHeader);
    } else if (!isBreakOrEnd(c)) {
      j = lineEnd(this.text, j);
    }
    this.pos = skipBreak(this.text, j);
  }

  /** Records a comment holding the token; returns the end of the comment line. */
  private comment(hash: number, blockHeader = false): number {
    const end = lineEnd(this.text, hash);
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
        i = propertyEnd(this.text, i, this.flow.length > 0);
      } else {
        const style = styleAt(c);
        const end = scalarEnd(this.text, i, style, true);
        const span: ScalarSpan = { start: i, end, style, flow: true };
        const after = skipBlanks(this.text, end);
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
}
