/**
 * Evaluates pipelines the way Go's text/template executor does: commands left to right with the
 * previous value as the last argument, fields through maps and class instances, methods called
 * with their arguments, functions checked for arity, `and`/`or` evaluated lazily, and a nil from
 * the data turned into "no value" after each command, as Go unwraps an empty interface.
 */
import type { TemplateFunction } from './function-error.ts';
import { findMethod, goTypeName, isTrue, kindOf, mapGet, structMember } from './go-values.ts';
import type {
  ArgNode,
  ChainNode,
  CommandNode,
  FieldNode,
  IdentifierNode,
  PipeNode,
  TemplateTree,
  VariableNode,
} from './nodes.ts';
import { lineAndColumn, TemplateError } from './template-error.ts';

/**
 * Go bounds nothing but template depth (100,000); templates here come from users' config and run
 * inside a job, so depth, steps and output size are bounded, and exceeding them is a TemplateError.
 */
export const RENDER_LIMITS = Object.freeze({
  /** Nested `{{template}}` calls. */
  maxDepth: 300,
  /** Nodes walked plus range iterations. */
  maxSteps: 2_000_000,
  /** Characters written. */
  maxOutput: 8 * 1024 * 1024,
});

/** Marks a command that has no value piped into it (undefined is a value: Go's "no value"). */
const NO_FINAL: unique symbol = Symbol('no final argument');
type Final = unknown;
export type Span = { pos: number; end: number };

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

export class Evaluator {
  readonly context: RenderContext;
  executing: string;
  vars: Variable[];
  steps = 0;
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
