import { describe, expect, it } from 'vitest';
import {
  COMMIT_TEMPLATE_NAME,
  DEFAULT_COMMIT_TEMPLATE,
  parseTemplate,
  renderTemplate,
} from '../../lib/template/index.ts';
import { dataOf } from './cases/case.ts';
import { COMMIT_CASES, GERRIT_TEMPLATE } from './cases/commit-cases.ts';
import { FLEET_UPDATE, fluxTemplateData, SINGLE_UPDATE } from './cases/flux-data.ts';

describe('commit message templates', () => {
  it.each(COMMIT_CASES)('renders $label as Flux does', (testCase) => {
    expect(renderTemplate(testCase.template, dataOf(testCase), COMMIT_TEMPLATE_NAME)).toBe(testCase.expected);
  });

  it('uses the default message when none is set', () => {
    expect(renderTemplate(DEFAULT_COMMIT_TEMPLATE, fluxTemplateData(FLEET_UPDATE))).toBe(
      'Update from image update automation',
    );
  });

  it('renders a stable Change-Id for the same change', () => {
    const template = parseTemplate(GERRIT_TEMPLATE, COMMIT_TEMPLATE_NAME);
    const message = template.render(fluxTemplateData(FLEET_UPDATE));
    expect(message).toMatch(
      /^Perform automatic image update\n\nAutomation name: flux-system\/podinfo-update\nChange-Id: I[0-9a-f]{40}\n$/,
    );
    expect(template.render(fluxTemplateData(FLEET_UPDATE))).toBe(message);
    expect(template.render(fluxTemplateData(SINGLE_UPDATE))).not.toBe(message);
  });

  it('parses once and renders many times over different data', () => {
    const template = parseTemplate(
      '{{ .AutomationObject }}: {{ len .Changed.Changes }}',
      COMMIT_TEMPLATE_NAME,
    );
    expect(template.render(fluxTemplateData(FLEET_UPDATE))).toBe('flux-system/podinfo-update: 3');
    expect(template.render(fluxTemplateData(SINGLE_UPDATE))).toBe('test-ns/test-update: 1');
    expect(template.render(fluxTemplateData(FLEET_UPDATE))).toBe('flux-system/podinfo-update: 3');
  });

  it('prints a struct with String() through it and one without as its fields', () => {
    const data = fluxTemplateData(SINGLE_UPDATE);
    expect(renderTemplate('{{ .AutomationObject }} {{ range .Changed.Changes }}{{ . }}{{ end }}', data)).toBe(
      'test-ns/test-update {helloworld:1.0.0 helloworld:1.0.1 test-ns:policy1}',
    );
    expect(renderTemplate('{{ range .Changed.Changes }}{{ printf "%+v" . }}{{ end }}', data)).toBe(
      '{OldValue:helloworld:1.0.0 NewValue:helloworld:1.0.1 Setter:test-ns:policy1}',
    );
  });
});
