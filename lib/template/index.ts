export { COMMIT_TEMPLATE_NAME, DEFAULT_COMMIT_TEMPLATE } from './commit-template.ts';
export { RENDER_LIMITS } from './evaluator.ts';
export { ZERO_VALUE } from './go-values.ts';
export { parseTemplate, renderTemplate, Template } from './template.ts';
export { TemplateError, type TemplateErrorDetails, type TemplatePhase } from './template-error.ts';
