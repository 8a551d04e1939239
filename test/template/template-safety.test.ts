import { describe, expect, it } from 'vitest';
import { parseTemplate, RENDER_LIMITS, renderTemplate, TemplateError } from '../../lib/template/index.ts';

class Widget {
  Name = 'w';
}

const INTERNALS = [
  'constructor',
  '__proto__',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
  '__defineGetter__',
];

describe('templates reach data, never JavaScript internals', () => {
  it.each(INTERNALS)('.%s of a plain object is no value', (name) => {
    expect(renderTemplate(`{{.${name}}}|{{index . "${name}"}}|{{.${name}.constructor}}`, { a: 1 })).toBe(
      '<no value>|<no value>|<no value>',
    );
  });

  it.each(INTERNALS)('.%s of a Map is no value', (name) => {
    expect(renderTemplate(`{{.${name}}}|{{index . "${name}"}}`, new Map([['a', 1]]))).toBe(
      '<no value>|<no value>',
    );
  });

  it.each([
    ['a class instance', new Widget(), 'Widget'],
    ['a list', [1], '[]interface {}'],
    ['a string', 'text', 'string'],
    ['a function', () => 1, 'func'],
  ])('.constructor of %s is an error', (_label, data, type) => {
    expect(() => renderTemplate('{{.constructor}}', data)).toThrow(
      `can't evaluate field constructor in type ${type}`,
    );
  });

  it('does not see the members Object, Array, Map or Error give every value', () => {
    for (const [template, data] of [
      ['{{.toString}}', new Widget()],
      ['{{.length}}', [1, 2]],
      ['{{.stack}}', new Error('hidden')],
      ['{{.message}}', new Error('hidden')],
    ] as const) {
      expect(() => renderTemplate(template, data), template).toThrow(TemplateError);
    }
    expect(renderTemplate('{{.size}}', new Map())).toBe('<no value>');
    expect(renderTemplate('{{.Error}}', new Error('shown'))).toBe('shown');
  });

  it('treats an own "__proto__" key from JSON as absent', () => {
    const data = JSON.parse('{"__proto__": {"polluted": "yes"}, "a": "x"}') as unknown;
    expect(renderTemplate('{{.__proto__.polluted}}|{{range $k, $v := .}}{{$k}}{{end}}|{{len .}}', data)).toBe(
      '<no value>|a|1',
    );
  });

  it('leaves Object.prototype as it was', () => {
    const before = Object.getOwnPropertyNames(Object.prototype).sort();
    renderTemplate(
      '{{$p := .__proto__}}{{$c := .constructor}}{{with .constructor}}{{.prototype}}{{end}}',
      {},
    );
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('prints no function, but calls one with call', () => {
    const data = { greet: (name: string) => `hello ${name}` };
    expect(() => renderTemplate('{{.greet}}', data)).toThrow("can't print {{.greet}} of type func");
    expect(renderTemplate('{{call .greet "ann"}}', data)).toBe('hello ann');
    expect(() => renderTemplate('{{call .nope}}', data)).toThrow('error calling call: call of nil');
  });
});

describe('render limits', () => {
  it('fails a template nested deeper than the stack as a TemplateError', () => {
    const depth = 50_000;
    expect(() => parseTemplate(`{{${'('.repeat(depth)}1${')'.repeat(depth)}}}`)).toThrow(
      'template: template:1:1: template nests too deeply',
    );
  });

  it('refuses to repeat a string past the output limit', () => {
    expect(() => renderTemplate('{{repeat 1000000000 "xx"}}', {})).toThrow(
      'error calling repeat: repeat count 1000000000 exceeds the output limit',
    );
  });

  it('stops a template that loops too long', () => {
    const template = parseTemplate('{{range 1000000000}}{{end}}');
    expect(() => template.render({})).toThrow(`template ran too long (over ${RENDER_LIMITS.maxSteps} steps)`);
  });

  it('stops a template whose output grows too large', () => {
    const template = parseTemplate('{{range .}}{{repeat 1000 "x"}}{{end}}');
    expect(() => template.render(Array.from({ length: 10_000 }, () => 0))).toThrow(
      `output exceeds ${RENDER_LIMITS.maxOutput} characters`,
    );
  });
});
