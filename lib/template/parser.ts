/**
 * Recursive-descent parser following Go's text/template/parse: the same grammar, the same checks
 * at parse time (functions must exist, variables must be declared, `break` only inside `range`,
 * no arguments after a literal), so a template Go rejects is rejected here before it ever renders.
 * Two checks come earlier than in Go, because a config should fail when it is loaded: assigning
 * an undeclared variable, and calling a template that is defined nowhere.
 */
import { parseNumber, unquoteChar, unquoteString } from './go-literals.ts';
import { lex, type Token, type TokenKind } from './lexer.ts';
import {
  type ArgNode,
  type BranchNode,
  type CommandNode,
  isEmptyTree,
  type Node,
  type PipeNode,
  type TemplateNodeList,
  type TemplateTree,
} from './nodes.ts';
import { lineAndColumn, TemplateError } from './template-error.ts';

export interface ParseResult {
  main: TemplateTree;
  trees: Map<string, TemplateTree>;
}

type ListEnd = { kind: 'end' | 'else'; token: Token };

/** Parses `text` into its main tree and every `define`d or `block` tree. */
export function parse(text: string, name: string, hasFunction: (name: string) => boolean): ParseResult {
  return new Parser(text, name, hasFunction).parseAll();
}

class Parser {
  readonly text: string;
  readonly name: string;
  readonly hasFunction: (name: string) => boolean;
  readonly tokens: Token[];
  readonly trees = new Map<string, TemplateTree>();
  readonly calls: { name: string; pos: number }[] = [];
  i = 0;
  vars: string[] = ['$'];
  rangeDepth = 0;

  constructor(text: string, name: string, hasFunction: (name: string) => boolean) {
    this.text = text;
    this.name = name;
    this.hasFunction = hasFunction;
    this.tokens = lex(text, name);
  }

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

  // Tokens.

  peek(): Token {
    return this.tokens[this.i] as Token;
  }

  next(): Token {
    const token = this.peek();
    if (token.kind !== 'eof') this.i++;
    return token;
  }

  peekNonSpace(): Token {
    while (this.peek().kind === 'space') this.i++;
    return this.peek();
  }

  nextNonSpace(): Token {
    this.peekNonSpace();
    return this.next();
  }

  expect(kind: TokenKind, context: string): Token {
    const token = this.nextNonSpace();
    if (token.kind !== kind) this.unexpected(token, context, kind === 'rightDelim' ? '}}' : kind);
    return token;
  }

  fail(pos: number, reason: string): never {
    throw new TemplateError({
      template: this.name,
      phase: 'parse',
      reason,
      ...lineAndColumn(this.text, pos),
    });
  }

  unexpected(token: Token, context: string, expected?: string): never {
    const shown =
      token.kind === 'eof'
        ? 'EOF'
        : token.kind === 'keyword'
          ? `<${token.value}>`
          : JSON.stringify(token.value.length > 20 ? `${token.value.slice(0, 20)}...` : token.value);
    this.fail(token.pos, `unexpected ${shown} in ${context}${expected ? `: expected ${expected}` : ''}`);
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

  /** End offset of the token just consumed. */
  tokenEnd(): number {
    const token = this.tokens[this.i - 1] as Token;
    return token.pos + token.value.length;
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

  // Pipelines and commands.

  pipeline(context: string, end: 'rightDelim' | 'rightParen'): PipeNode {
    const start = this.peekNonSpace().pos;
    const pipe: PipeNode = { type: 'pipe', decl: [], isAssign: false, cmds: [], pos: start, end: start };
    this.declarations(pipe, context);
    for (;;) {
      const token = this.nextNonSpace();
      if (token.kind === end) {
        if (pipe.cmds.length === 0) this.fail(token.pos, `missing value for ${context}`);
        pipe.cmds.slice(1).forEach((cmd, index) => {
          const first = cmd.args[0] as ArgNode;
          if (['bool', 'dot', 'nil', 'number', 'string'].includes(first.type)) {
            this.fail(first.pos, `non executable command in pipeline stage ${index + 2}`);
          }
        });
        pipe.end = (pipe.cmds.at(-1) as CommandNode).end;
        return pipe;
      }
      if (isOperandStart(token.kind)) {
        this.i--;
        pipe.cmds.push(this.command());
        continue;
      }
      this.unexpected(token, context, end === 'rightDelim' ? '}}' : ')');
    }
  }

  declarations(pipe: PipeNode, context: string): void {
    for (;;) {
      const variable = this.peekNonSpace();
      if (variable.kind !== 'variable') return;
      const start = this.i;
      this.next();
      const after = this.peekNonSpace();
      if (after.kind === 'declare' || after.kind === 'assign') {
        this.next();
        pipe.isAssign = after.kind === 'assign';
        pipe.decl.push(variable.value);
        for (const name of pipe.decl) {
          if (!pipe.isAssign) this.vars.push(name);
          else if (!this.vars.includes(name)) this.fail(variable.pos, `undefined variable "${name}"`);
        }
        return;
      }
      if (after.kind === 'comma') {
        this.next();
        pipe.decl.push(variable.value);
        if (context !== 'range' || pipe.decl.length > 1)
          this.fail(after.pos, `too many declarations in ${context}`);
        if (this.peekNonSpace().kind !== 'variable')
          this.fail(this.peek().pos, 'range can only initialize variables');
        continue;
      }
      if (pipe.decl.length > 0) this.unexpected(after, context, ':= or =');
      this.i = start;
      return;
    }
  }

  command(): CommandNode {
    const cmd: CommandNode = { type: 'command', args: [], pos: this.peekNonSpace().pos, end: 0 };
    for (;;) {
      this.peekNonSpace();
      const operand = this.operand();
      if (operand) cmd.args.push(operand);
      const token = this.next();
      if (token.kind === 'space') continue;
      if (token.kind === 'rightDelim' || token.kind === 'rightParen') this.i--;
      else if (token.kind !== 'pipe') this.unexpected(token, 'operand');
      break;
    }
    if (cmd.args.length === 0) this.fail(cmd.pos, 'empty command');
    cmd.end = (cmd.args.at(-1) as ArgNode).end;
    return cmd;
  }

  operand(): ArgNode | undefined {
    const node = this.term();
    if (!node || this.peek().kind !== 'field') return node;
    const fields: string[] = [];
    while (this.peek().kind === 'field') fields.push(this.next().value.slice(1));
    const end = this.tokenEnd();
    switch (node.type) {
      case 'field':
        return { ...node, names: [...node.names, ...fields], end };
      case 'variable':
        return { ...node, fields: [...node.fields, ...fields], end };
      case 'bool':
      case 'string':
      case 'number':
      case 'nil':
      case 'dot':
        return this.fail(node.end, `unexpected . after term "${this.text.slice(node.pos, node.end)}"`);
      default:
        return { type: 'chain', node, fields, pos: node.pos, end };
    }
  }

  term(): ArgNode | undefined {
    const token = this.nextNonSpace();
    const span = { pos: token.pos, end: token.pos + token.value.length };
    switch (token.kind) {
      case 'identifier':
        if (!this.hasFunction(token.value)) this.fail(token.pos, `function "${token.value}" not defined`);
        return { type: 'identifier', name: token.value, ...span };
      case 'dot':
        return { type: 'dot', value: undefined, ...span };
      case 'nil':
        return { type: 'nil', value: null, ...span };
      case 'variable':
        if (!this.vars.includes(token.value)) this.fail(token.pos, `undefined variable "${token.value}"`);
        return { type: 'variable', name: token.value, fields: [], ...span };
      case 'field':
        return { type: 'field', names: [token.value.slice(1)], ...span };
      case 'bool':
        return { type: 'bool', value: token.value === 'true', ...span };
      case 'number': {
        const value = parseNumber(token.value);
        if (value === undefined) this.fail(token.pos, `unsupported number syntax: ${token.value}`);
        return { type: 'number', value, ...span };
      }
      case 'char': {
        const value = unquoteChar(token.value);
        if (value === undefined) this.fail(token.pos, `malformed character constant: ${token.value}`);
        return { type: 'number', value, ...span };
      }
      case 'string':
      case 'rawString': {
        const value = unquoteString(token.value);
        if (value === undefined) this.fail(token.pos, `invalid syntax in string ${token.value}`);
        return { type: 'string', value, ...span };
      }
      case 'leftParen': {
        const pipe = this.pipeline('parenthesized pipeline', 'rightParen');
        return { ...pipe, pos: token.pos, end: this.tokenEnd() };
      }
      default:
        this.i--;
        return undefined;
    }
  }
}

function isOperandStart(kind: TokenKind): boolean {
  return [
    'bool',
    'char',
    'dot',
    'field',
    'identifier',
    'number',
    'nil',
    'rawString',
    'string',
    'variable',
    'leftParen',
  ].includes(kind);
}
