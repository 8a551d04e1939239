/**
 * Recursive-descent parser following Go's text/template/parse: the same grammar and the same
 * checks at parse time (see pipeline-parser.ts for expressions; here `break` only inside `range`,
 * `define` only at the top, every block closed), so a template Go rejects is rejected before it
 * ever renders. Two checks come earlier than in Go, because a config should fail when it is
 * loaded: assigning an undeclared variable, and calling a template that is defined nowhere.
 */
import { unquoteString } from './go-literals.ts';
import type { Token } from './lexer.ts';
import {
  type BranchNode,
  isEmptyTree,
  type Node,
  type PipeNode,
  type TemplateNodeList,
  type TemplateTree,
} from './nodes.ts';
import { PipelineParser } from './pipeline-parser.ts';
import { lineAndColumn } from './template-error.ts';

export interface ParseResult {
  main: TemplateTree;
  trees: Map<string, TemplateTree>;
}

type ListEnd = { kind: 'end' | 'else'; token: Token };

/** Parses `text` into its main tree and every `define`d or `block` tree. */
export function parse(text: string, name: string, hasFunction: (name: string) => boolean): ParseResult {
  return new Parser(text, name, hasFunction).parseAll();
}

class Parser extends PipelineParser {
  readonly trees = new Map<string, TemplateTree>();
  readonly calls: { name: string; pos: number }[] = [];
  rangeDepth = 0;

  parseAll(): ParseResult {
    const root: TemplateNodeList = [];
    while (this.peek().kind !== 'eof') {
      if (this.peek().kind === 'leftDelim') {
        const start = this.i;
        this.next();
        const keyword = this.nextNonSpace();
        if (keyword.kind === 'keyword' && keyword.value === 'define') {
          this.parseDefinition(keyword);
          continue;
        }
        this.i = start;
      }
      const { node, end } = this.textOrAction();
      if (end) this.fail(end.token.pos, `unexpected {{${end.kind}}}`);
      if (node) root.push(node);
    }
    const main = { name: this.name, root };
    const existing = this.trees.get(this.name);
    if (!existing || isEmptyTree(existing.root)) this.trees.set(this.name, main);
    else if (!isEmptyTree(root)) this.fail(0, `multiple definition of template "${this.name}"`);
    for (const call of this.calls) {
      if (!this.trees.has(call.name)) this.fail(call.pos, `template "${call.name}" not defined`);
    }
    return { main: this.trees.get(this.name) ?? main, trees: this.trees };
  }

  // Lists and actions.

  /** Nodes up to the `{{end}}` or `{{else}}` that closes them. */
  itemList(opener: Token, what: string): { list: TemplateNodeList; end: ListEnd } {
    const list: TemplateNodeList = [];
    while (this.peekNonSpace().kind !== 'eof') {
      const { node, end } = this.textOrAction();
      if (end) return { list, end };
      if (node) list.push(node);
    }
    const { line, column } = lineAndColumn(this.text, opener.pos);
    return this.fail(this.text.length, `unexpected EOF: expected {{end}} for ${what} at ${line}:${column}`);
  }

  textOrAction(): { node?: Node; end?: ListEnd } {
    const token = this.nextNonSpace();
    if (token.kind === 'text') {
      return {
        node: { type: 'text', text: token.value, pos: token.pos, end: token.pos + token.value.length },
      };
    }
    if (token.kind === 'leftDelim') return this.action(token);
    return this.unexpected(token, 'input');
  }

  action(open: Token): { node?: Node; end?: ListEnd } {
    const token = this.nextNonSpace();
    if (token.kind === 'keyword') {
      switch (token.value) {
        case 'block':
          return { node: this.blockControl(open) };
        case 'break':
        case 'continue':
          return { node: this.loopControl(open, token) };
        case 'else': {
          const peeked = this.peekNonSpace();
          if (peeked.kind === 'keyword' && (peeked.value === 'if' || peeked.value === 'with')) {
            return { end: { kind: 'else', token: open } };
          }
          this.expect('rightDelim', '{{else}}');
          return { end: { kind: 'else', token: open } };
        }
        case 'end':
          this.expect('rightDelim', '{{end}}');
          return { end: { kind: 'end', token: open } };
        case 'if':
        case 'range':
        case 'with':
          return { node: this.control(open, token.value) };
        case 'template':
          return { node: this.templateControl(open) };
        case 'define':
          return this.fail(token.pos, '{{define}} is only allowed at the top level of a template');
      }
    }
    this.i--;
    const pipe = this.pipeline('command', 'rightDelim');
    return { node: { type: 'action', pipe, pos: open.pos, end: this.tokenEnd() } };
  }

  control(open: Token, context: 'if' | 'range' | 'with'): BranchNode {
    const varCount = this.vars.length;
    const pipe = this.pipeline(context, 'rightDelim');
    if (context === 'range') this.rangeDepth++;
    const body = this.itemList(open, `{{${context}}}`);
    if (context === 'range') this.rangeDepth--;
    let elseList: TemplateNodeList | undefined;
    if (body.end.kind === 'else') {
      const peeked = this.peekNonSpace();
      if (context !== 'range' && peeked.kind === 'keyword' && peeked.value === context) {
        const keyword = this.next();
        elseList = [this.control({ ...body.end.token, pos: keyword.pos }, context)];
      } else {
        const rest = this.itemList(open, `{{${context}}}`);
        if (rest.end.kind !== 'end') this.fail(rest.end.token.pos, `expected {{end}}; found {{else}}`);
        elseList = rest.list;
      }
    }
    this.vars.length = varCount;
    return { type: context, pipe, list: body.list, elseList, pos: open.pos, end: this.tokenEnd() };
  }

  loopControl(open: Token, keyword: Token): Node {
    const token = this.nextNonSpace();
    if (token.kind !== 'rightDelim') this.unexpected(token, `{{${keyword.value}}}`, '}}');
    if (this.rangeDepth === 0) this.fail(keyword.pos, `{{${keyword.value}}} outside {{range}}`);
    return { type: keyword.value as 'break' | 'continue', pos: open.pos, end: this.tokenEnd() };
  }

  templateName(context: string): { name: string; token: Token } {
    const token = this.nextNonSpace();
    if (token.kind !== 'string' && token.kind !== 'rawString')
      this.unexpected(token, context, 'a quoted name');
    const name = unquoteString(token.value);
    if (name === undefined) this.fail(token.pos, `invalid syntax in string ${token.value}`);
    return { name, token };
  }

  templateControl(open: Token): Node {
    const { name, token } = this.templateName('{{template}} clause');
    let pipe: PipeNode | undefined;
    if (this.nextNonSpace().kind !== 'rightDelim') {
      this.i--;
      pipe = this.pipeline('{{template}} clause', 'rightDelim');
    }
    this.calls.push({ name, pos: token.pos });
    return { type: 'template', name, pipe, pos: open.pos, end: this.tokenEnd() };
  }

  blockControl(open: Token): Node {
    const { name, token } = this.templateName('{{block}} clause');
    const pipe = this.pipeline('{{block}} clause', 'rightDelim');
    const end = this.tokenEnd();
    this.parseBody(open, name, '{{block}}');
    this.calls.push({ name, pos: token.pos });
    return { type: 'template', name, pipe, pos: open.pos, end };
  }

  parseDefinition(keyword: Token): void {
    const { name } = this.templateName('{{define}} clause');
    this.expect('rightDelim', '{{define}} clause');
    this.parseBody(keyword, name, '{{define}}');
  }

  /** A `define` or `block` body: its own variable scope (only `$`) and its own range depth. */
  parseBody(open: Token, name: string, what: string): void {
    const saved = { vars: this.vars, rangeDepth: this.rangeDepth };
    this.vars = ['$'];
    this.rangeDepth = 0;
    const { list, end } = this.itemList(open, what);
    if (end.kind !== 'end') this.fail(end.token.pos, `unexpected {{else}} in ${what} clause`);
    this.vars = saved.vars;
    this.rangeDepth = saved.rangeDepth;
    const existing = this.trees.get(name);
    if (existing && !isEmptyTree(existing.root) && !isEmptyTree(list)) {
      this.fail(open.pos, `multiple definition of template "${name}"`);
    }
    if (!existing || !isEmptyTree(list)) this.trees.set(name, { name, root: list });
  }
}
