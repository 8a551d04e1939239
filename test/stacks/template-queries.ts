/**
 * Reading synthesised templates across stacks: resources by type, ferry's functions by handler, and
 * a cross-stack import followed back to the resource it exports.
 */
import type { Template } from 'aws-cdk-lib/assertions';
import type { StackName, Templates } from './synthesise.ts';

export interface Resource {
  Type: string;
  Properties: Record<string, unknown>;
  DependsOn?: string[];
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
}

export interface Located {
  stack: StackName;
  id: string;
  resource: Resource;
}

interface TemplateJson {
  Resources: Record<string, Resource>;
  Outputs?: Record<string, { Value: unknown; Export?: { Name: string } }>;
}

export function json(template: Template): TemplateJson {
  return template.toJSON() as TemplateJson;
}

export function resourcesOf(templates: Templates, type?: string): Located[] {
  return Object.entries(templates).flatMap(([stack, template]) =>
    Object.entries(json(template).Resources)
      .filter(([, resource]) => type === undefined || resource.Type === type)
      .map(([id, resource]) => ({ stack: stack as StackName, id, resource })),
  );
}

/** ferry's functions (SST's own custom-resource handler in every stack excluded), by handler name. */
export function ferryFunctions(templates: Templates): Map<string, Located> {
  const functions = new Map<string, Located>();
  for (const located of resourcesOf(templates, 'AWS::Lambda::Function')) {
    const handler = String(located.resource.Properties.Handler);
    const match = /^functions\/([a-z-]+)\.handler$/.exec(handler);
    if (match?.[1]) functions.set(match[1], located);
  }
  return functions;
}

export function ferryFunction(templates: Templates, name: string): Located {
  const found = ferryFunctions(templates).get(name);
  if (!found) throw new Error(`no function with handler functions/${name}.handler`);
  return found;
}

/**
 * The value a reference stands for, as `<stack>/<logical id>[.attribute]`: a Ref or GetAtt in its own
 * stack, or an ImportValue followed to the output that exports it.
 */
export function referenceOf(templates: Templates, stack: StackName, value: unknown): string {
  const v = value as Record<string, unknown>;
  if (typeof v?.Ref === 'string') return `${stack}/${v.Ref}`;
  if (Array.isArray(v?.['Fn::GetAtt'])) {
    const [id, attribute] = v['Fn::GetAtt'] as string[];
    return `${stack}/${id}.${attribute}`;
  }
  if (typeof v?.['Fn::ImportValue'] === 'string') {
    for (const [name, template] of Object.entries(templates)) {
      for (const output of Object.values(json(template).Outputs ?? {})) {
        if (output.Export?.Name === v['Fn::ImportValue']) {
          return referenceOf(templates, name as StackName, output.Value);
        }
      }
    }
  }
  throw new Error(`not a reference: ${JSON.stringify(value)}`);
}

/** A value with its pseudo parameters written as `${AWS::Partition}`, for comparing ARNs. */
export function flat(value: unknown): string {
  if (typeof value === 'string') return value;
  const v = value as Record<string, unknown>;
  if (typeof v?.Ref === 'string') return `\${${v.Ref}}`;
  const join = v?.['Fn::Join'] as [string, unknown[]] | undefined;
  if (join) return join[1].map(flat).join(join[0]);
  return JSON.stringify(value);
}
