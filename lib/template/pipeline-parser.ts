/**
 * The expression half of the parser, following Go's text/template/parse: pipelines with their
 * variable declarations, commands, operands with field chains, and terms. Checks that Go makes at
 * parse time happen here too: functions must exist, variables must be declared, and only the
 * first command of a pipeline may be a literal.
 */
import { parseNumber, unquoteChar, unquoteString } from './go-literals.ts';
import { lex, type Token, type TokenKind } from './lexer.ts';
import type { ArgNode, CommandNode, PipeNode } from './nodes.ts';
import { lineAndColumn, TemplateError } from './template-error.ts';

export class PipelineParser {
  readonly text: string;
  readonly name: string;
  readonly hasFunction: (name: string) => boolean;
  readonly tokens: Token[];
  i = 0;
  /** Variables in scope, innermost last. */
  vars: string[] = ['$'];

  constructor(text: string, name: string, hasFunction: (name: string) => boolean) {
    this.text = text;
    this.name = name;
    this.hasFunction = hasFunction;
    this.tokens = lex(text, name);
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

  /** End offset of the token just consumed. */
  tokenEnd(): number {
    const token = this.tokens[this.i - 1] as Token;
    return token.pos + token.value.length;
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
