/**
 * Executes a parsed template the way Go's text/template executor does, step for step: the same
 * variable stack (a range iteration forgets what its body declared, `=` reaches the enclosing
 * variable), the same nil handling (a missing map key prints `<no value>`, a nil field of data is
 * an error when dereferenced), lazy `and`/`or`, and method calls on class instances.
 *
 * Go has no limits beyond a depth of 100,000 template calls; templates here come from users'
 * config and run inside a job, so depth, steps and output size are bounded and exceeding them is
 * a TemplateError like any other.
 */
import { formatPlain } from './format-value.ts';
import type { TemplateFunction } from './function-error.ts';
import {
  findMethod,
  goTypeName,
  isTrue,
  kindOf,
  mapGet,
  sliceItems,
  sortedEntries,
  structMember,
} from './go-values.ts';
import type {
  ArgNode,
  BranchNode,
  ChainNode,
  CommandNode,
  FieldNode,
  IdentifierNode,
  Node,
  PipeNode,
  TemplateCallNode,
  TemplateNodeList,
  TemplateTree,
  VariableNode,
} from './nodes.ts';
import { lineAndColumn, TemplateError } from './template-error.ts';

export const RENDER_LIMITS = {
  /** Nested `{{template}}` calls. */
  maxDepth: 300,
  /** Nodes walked plus range iterations. */
  maxSteps: 2_000_000,
  /** Characters written. */
  maxOutput: 8 * 1024 * 1024,
};

const NO_FINAL: unique symbol = Symbol('no final argument');
type Final = unknown;
type Signal = 'break' | 'continue' | undefined;
type Span = { pos: number; end: number };

interface Variable {
  name: string;
  value: unknown;
}

export interface RenderContext {
  text: string;
  name: string;
  trees: ReadonlyMap<string, TemplateTree>;
  functions: Readonly<Record<string, TemplateFunction>>;
}

/** Renders `tree` over `data`. */
export function execute(context: RenderContext, tree: TemplateTree, data: unknown): string {
  const state = new ExecState(context, tree.name, data);
  state.walkList(data, tree.root);
  return state.out.join('');
}

class ExecState {
  readonly context: RenderContext;
  executing: string;
  vars: Variable[];
  readonly out: string[] = [];
  outLength = 0;
  steps = 0;
  depth = 0;
  node: Span = { pos: 0, end: 0 };

  constructor(context: RenderContext, executing: string, data: unknown) {
    this.context = context;
    this.executing = executing;
    this.vars = [{ name: '$', value: data }];
  }

  fail(reason: string, cause?: unknown): never {
    throw new TemplateError(
      {
        template: this.context.name,
        phase: 'render',
        reason,
        action: this.source(this.node),
        executing: this.executing,
        ...lineAndColumn(this.context.text, this.node.pos),
      },
      { cause },
    );
  }

  source(span: Span): string {
    return this.context.text.slice(span.pos, span.end);
  }

  at(node: Span): void {
    this.node = node;
  }

  step(): void {
    if (++this.steps > RENDER_LIMITS.maxSteps)
      this.fail(`template ran too long (over ${RENDER_LIMITS.maxSteps} steps)`);
  }

  write(text: string): void {
    this.outLength += text.length;
    if (this.outLength > RENDER_LIMITS.maxOutput) {
      this.fail(`output exceeds ${RENDER_LIMITS.maxOutput} characters`);
    }
    this.out.push(text);
  }

  // Variables.

  varValue(name: string): unknown {
    for (let i = this.vars.length - 1; i >= 0; i--)
      if (this.vars[i]?.name === name) return this.vars[i]?.value;
    return this.fail(`undefined variable: ${name}`);
  }

  setVar(name: string, value: unknown): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      const variable = this.vars[i] as Variable;
      if (variable.name === name) {
        variable.value = value;
        return;
      }
    }
    this.fail(`undefined variable: ${name}`);
  }

  setTopVar(n: number, value: unknown): void {
    (this.vars[this.vars.length - n] as Variable).value = value;
  }

  // Walking.

  walkList(dot: unknown, list: TemplateNodeList): Signal {
    for (const node of list) {
      const signal = this.walk(dot, node);
      if (signal) return signal;
    }
    return undefined;
  }

  walk(dot: unknown, node: Node): Signal {
    this.step();
    switch (node.type) {
      case 'text':
        this.write(node.text);
        return undefined;
      case 'action': {
        const value = this.evalPipeline(dot, node.pipe);
        if (node.pipe.decl.length === 0) this.printValue(node, value);
        return undefined;
      }
      case 'if':
      case 'with':
        return this.walkIfOrWith(dot, node);
      case 'range':
        this.walkRange(dot, node);
        return undefined;
      case 'template':
        this.walkTemplate(dot, node);
        return undefined;
      default:
        return node.type;
    }
  }

  walkIfOrWith(dot: unknown, node: BranchNode): Signal {
    const mark = this.vars.length;
    try {
      const value = this.evalPipeline(dot, node.pipe);
      if (isTrue(value)) return this.walkList(node.type === 'with' ? value : dot, node.list);
      return node.elseList ? this.walkList(dot, node.elseList) : undefined;
    } finally {
      this.vars.length = mark;
    }
  }

  walkRange(dot: unknown, node: BranchNode): void {
    this.at(node);
    const outer = this.vars.length;
    try {
      const value = this.evalPipeline(dot, node.pipe);
      const { decl, isAssign } = node.pipe;
      const mark = this.vars.length;
      const iterate = (index: unknown, element: unknown): boolean => {
        this.step();
        if (decl.length > 0) {
          if (isAssign) this.setVar(decl[0] as string, decl.length > 1 ? index : element);
          else this.setTopVar(1, element);
        }
        if (decl.length > 1) {
          if (isAssign) this.setVar(decl[1] as string, element);
          else this.setTopVar(2, index);
        }
        const signal = this.walkList(element, node.list);
        this.vars.length = mark;
        return signal !== 'break';
      };
      let ran = false;
      switch (kindOf(value)) {
        case 'slice':
          for (const [i, item] of sliceItems(value).entries()) {
            ran = true;
            if (!iterate(i, item)) break;
          }
          break;
        case 'map':
          for (const [key, item] of sortedEntries(value)) {
            ran = true;
            if (!iterate(key, item)) break;
          }
          break;
        case 'int': {
          this.at(node);
          if (decl.length > 1)
            this.fail(`can't use ${formatPlain(value)} to iterate over more than one variable`);
          const count = Number(value);
          for (let i = 0; i < count; i++) {
            ran = true;
            if (!iterate(i, i)) break;
          }
          break;
        }
        case 'invalid':
        case 'nil':
          break;
        default:
          this.at(node);
          this.fail(`range can't iterate over ${formatPlain(value)}`);
      }
      if (!ran && node.elseList) this.walkList(dot, node.elseList);
    } finally {
      this.vars.length = outer;
    }
  }

  walkTemplate(dot: unknown, node: TemplateCallNode): void {
    this.at(node);
    const tree = this.context.trees.get(node.name);
    if (!tree) this.fail(`template "${node.name}" not defined`);
    if (this.depth >= RENDER_LIMITS.maxDepth)
      this.fail(`exceeded maximum template depth (${RENDER_LIMITS.maxDepth})`);
    const newDot = node.pipe ? this.evalPipeline(dot, node.pipe) : undefined;
    const saved = { vars: this.vars, executing: this.executing };
    this.vars = [{ name: '$', value: newDot }];
    this.executing = node.name;
    this.depth++;
    try {
      this.walkList(newDot, tree.root);
    } finally {
      this.depth--;
      this.vars = saved.vars;
      this.executing = saved.executing;
    }
  }

  printValue(node: Span, value: unknown): void {
    this.at(node);
    if (value === undefined || value === null) {
      this.write('<no value>');
      return;
    }
    if (typeof value === 'function') this.fail(`can't print ${this.source(node)} of type func`);
    this.write(formatPlain(value));
  }

  // Evaluation.

  evalPipeline(dot: unknown, pipe: PipeNode): unknown {
    this.at(pipe);
    let value: unknown = NO_FINAL;
    for (const cmd of pipe.cmds) {
      value = this.evalCommand(dot, cmd, value);
      // Go unwraps an empty interface after each command: a nil from the data becomes no value.
      if (value === null) value = undefined;
    }
    for (const name of pipe.decl) {
      if (pipe.isAssign) this.setVar(name, value);
      else this.vars.push({ name, value });
    }
    return value;
  }

  evalCommand(dot: unknown, cmd: CommandNode, final: Final): unknown {
    const first = cmd.args[0] as ArgNode;
    switch (first.type) {
      case 'field':
        return this.evalFieldNode(dot, first, cmd.args, final);
      case 'chain':
        return this.evalChainNode(dot, first, cmd.args, final);
      case 'identifier':
        return this.evalFunction(dot, first, cmd, cmd.args, final);
      case 'pipe':
        this.notAFunction(cmd.args, final);
        return this.evalPipeline(dot, first);
      case 'variable':
        return this.evalVariableNode(dot, first, cmd.args, final);
    }
    this.at(first);
    this.notAFunction(cmd.args, final);
    if (first.type === 'dot') return dot;
    if (first.type === 'nil') this.fail('nil is not a command');
    return first.value;
  }

  notAFunction(args: ArgNode[], final: Final): void {
    if (args.length > 1 || final !== NO_FINAL) {
      this.fail(`can't give argument to non-function ${this.source(args[0] as ArgNode)}`);
    }
  }

  evalArg(dot: unknown, node: ArgNode): unknown {
    this.at(node);
    switch (node.type) {
      case 'dot':
        return dot;
      case 'nil':
        return null;
      case 'field':
        return this.evalFieldNode(dot, node, [node], NO_FINAL);
      case 'variable':
        return this.evalVariableNode(dot, node, [node], NO_FINAL);
      case 'pipe':
        return this.evalPipeline(dot, node);
      case 'identifier':
        return this.evalFunction(dot, node, node, [node], NO_FINAL);
      case 'chain':
        return this.evalChainNode(dot, node, [node], NO_FINAL);
      default:
        return node.value;
    }
  }

  evalFieldNode(dot: unknown, field: FieldNode, args: ArgNode[], final: Final): unknown {
    this.at(field);
    return this.evalFieldChain(dot, dot, field, field.names, args, final);
  }

  evalChainNode(dot: unknown, chain: ChainNode, args: ArgNode[], final: Final): unknown {
    if (chain.node.type === 'nil') {
      this.at(chain);
      this.fail(`indirection through explicit nil in ${this.source(chain)}`);
    }
    const receiver = this.evalArg(dot, chain.node);
    return this.evalFieldChain(dot, receiver, chain, chain.fields, args, final);
  }

  evalVariableNode(dot: unknown, variable: VariableNode, args: ArgNode[], final: Final): unknown {
    this.at(variable);
    const value = this.varValue(variable.name);
    if (variable.fields.length === 0) {
      this.notAFunction(args, final);
      return value;
    }
    return this.evalFieldChain(dot, value, variable, variable.fields, args, final);
  }

  evalFieldChain(
    dot: unknown,
    receiver: unknown,
    node: Span,
    names: string[],
    args: ArgNode[],
    final: Final,
  ): unknown {
    let value = receiver;
    names.forEach((name, i) => {
      const last = i === names.length - 1;
      value = this.evalField(dot, name, node, last ? args : [], last ? final : NO_FINAL, value);
    });
    return value;
  }

  evalField(
    dot: unknown,
    name: string,
    node: Span,
    args: ArgNode[],
    final: Final,
    receiver: unknown,
  ): unknown {
    if (receiver === undefined) return undefined;
    this.at(node);
    const hasArgs = args.length > 1 || final !== NO_FINAL;
    const kind = kindOf(receiver);
    if (kind === 'struct') {
      let member: ReturnType<typeof structMember>;
      try {
        member = structMember(receiver as object, name);
      } catch (error) {
        this.fail(`error calling ${name}: ${messageOf(error)}`, error);
      }
      if (member?.kind === 'method') return this.evalCall(dot, member.fn, receiver, node, name, args, final);
      if (member?.kind === 'field') {
        if (hasArgs) this.fail(`${name} has arguments but cannot be invoked as function`);
        return member.value;
      }
    } else if (kind === 'map') {
      const method = findMethod(receiver, name);
      if (method) return this.evalCall(dot, method, receiver, node, name, args, final);
      if (hasArgs) this.fail(`${name} is not a method but has arguments`);
      return mapGet(receiver, name);
    } else if (kind === 'nil') {
      this.fail(`nil pointer evaluating interface {}.${name}`);
    }
    return this.fail(`can't evaluate field ${name} in type ${goTypeName(receiver)}`);
  }

  /** Errors point at the whole command (`<index .L 5>`), as Go's do. */
  evalFunction(dot: unknown, node: IdentifierNode, cmd: Span, args: ArgNode[], final: Final): unknown {
    this.at(cmd);
    const name = node.name;
    const fn = this.context.functions[name];
    if (!fn) return this.fail(`"${name}" is not a defined function`);
    const argNodes = args.slice(1);
    const count = argNodes.length + (final === NO_FINAL ? 0 : 1);
    if (count < fn.minArgs || (fn.maxArgs !== undefined && count > fn.maxArgs)) {
      const want = fn.maxArgs === fn.minArgs ? `${fn.minArgs}` : `at least ${fn.minArgs}`;
      this.fail(`wrong number of args for ${name}: want ${want} got ${count}`);
    }
    if (name === 'and' || name === 'or') {
      let value: unknown;
      for (const arg of argNodes) {
        value = this.evalArg(dot, arg);
        if (isTrue(value) === (name === 'or')) return value;
      }
      return final === NO_FINAL ? value : final;
    }
    const argv = argNodes.map((arg) => this.evalArg(dot, arg));
    if (final !== NO_FINAL) argv.push(final);
    this.at(cmd);
    try {
      return fn.call(argv);
    } catch (error) {
      if (error instanceof TemplateError) throw error;
      return this.fail(`error calling ${name}: ${messageOf(error)}`, error);
    }
  }

  evalCall(
    dot: unknown,
    fn: (...args: unknown[]) => unknown,
    receiver: unknown,
    node: Span,
    name: string,
    args: ArgNode[],
    final: Final,
  ): unknown {
    const argv = args.slice(1).map((arg) => this.evalArg(dot, arg));
    if (final !== NO_FINAL) argv.push(final);
    this.at(node);
    try {
      return fn.apply(receiver, argv);
    } catch (error) {
      return this.fail(`error calling ${name}: ${messageOf(error)}`, error);
    }
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
