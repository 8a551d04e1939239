/**
 * The parse tree, shaped like Go's text/template/parse nodes so that evaluation can follow Go's
 * executor step by step. Every node keeps its source span (`pos`, `end`) for error positions and
 * for the `<...>` context that render errors quote.
 */

interface Span {
  pos: number;
  end: number;
}

export interface TextNode extends Span {
  type: 'text';
  text: string;
}

export interface ActionNode extends Span {
  type: 'action';
  pipe: PipeNode;
}

/** `if` and `with` share a shape; `else if` / `else with` arrive as a nested node in `elseList`. */
export interface BranchNode extends Span {
  type: 'if' | 'with' | 'range';
  pipe: PipeNode;
  list: TemplateNodeList;
  elseList: TemplateNodeList | undefined;
}

export interface TemplateCallNode extends Span {
  type: 'template';
  name: string;
  pipe: PipeNode | undefined;
}

export interface LoopControlNode extends Span {
  type: 'break' | 'continue';
}

export type Node = TextNode | ActionNode | BranchNode | TemplateCallNode | LoopControlNode;
export type TemplateNodeList = Node[];

export interface PipeNode extends Span {
  type: 'pipe';
  /** Declared or assigned variables, `$` included in their names. */
  decl: string[];
  isAssign: boolean;
  cmds: CommandNode[];
}

export interface CommandNode extends Span {
  type: 'command';
  args: ArgNode[];
}

export interface FieldNode extends Span {
  type: 'field';
  /** `.A.B` is ['A', 'B']. */
  names: string[];
}

export interface VariableNode extends Span {
  type: 'variable';
  /** `$x` or `$`. */
  name: string;
  /** `$x.A.B` has fields ['A', 'B']. */
  fields: string[];
}

/** A term followed by fields, as in `(index . 0).Name`. */
export interface ChainNode extends Span {
  type: 'chain';
  node: ArgNode;
  fields: string[];
}

export interface IdentifierNode extends Span {
  type: 'identifier';
  name: string;
}

export interface LiteralNode extends Span {
  type: 'dot' | 'nil' | 'bool' | 'number' | 'string';
  value: unknown;
}

export type ArgNode = FieldNode | VariableNode | ChainNode | IdentifierNode | LiteralNode | PipeNode;

/** A named tree: the main template, a `define`, or a `block`. */
export interface TemplateTree {
  name: string;
  root: TemplateNodeList;
}

/** Go's IsEmptyTree: only blank text (and comments, already dropped) — such a tree may be redefined. */
export function isEmptyTree(list: TemplateNodeList): boolean {
  return list.every((node) => node.type === 'text' && node.text.trim() === '');
}
