/**
 * Walks a parsed template the way Go's text/template executor does: text as it is, actions
 * printed as Go prints values, `if`/`with` on Go's truth, `range` over lists, maps (sorted keys)
 * and integers with the same variable stack (an iteration forgets what its body declared, `=`
 * reaches the enclosing variable), `break`/`continue`, and `template` calls with a fresh `$`.
 */

import { Evaluator, RENDER_LIMITS, type RenderContext, type Span } from './evaluator.ts';
import { formatPlain } from './format-value.ts';
import { isTrue, kindOf, sliceItems, sortedEntries } from './go-values.ts';
import type { BranchNode, Node, TemplateCallNode, TemplateNodeList, TemplateTree } from './nodes.ts';

type Signal = 'break' | 'continue' | undefined;

/** Renders `tree` over `data`. */
export function execute(context: RenderContext, tree: TemplateTree, data: unknown): string {
  const state = new ExecState(context, tree.name, data);
  state.walkList(data, tree.root);
  return state.out.join('');
}

class ExecState extends Evaluator {
  readonly out: string[] = [];
  outLength = 0;
  depth = 0;

  write(text: string): void {
    this.outLength += text.length;
    if (this.outLength > RENDER_LIMITS.maxOutput) {
      this.fail(`output exceeds ${RENDER_LIMITS.maxOutput} characters`);
    }
    this.out.push(text);
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
}
