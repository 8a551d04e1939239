import { describe, expect, it } from 'vitest';
import { renderTemplate, ZERO_VALUE } from '../../lib/template/index.ts';

class Person {
  Name: string;
  Tags: string[];

  constructor(name: string, tags: string[] = []) {
    this.Name = name;
    this.Tags = tags;
  }

  get Initial(): string {
    return this.Name.slice(0, 1).toUpperCase();
  }

  Greet(greeting: string, times = 1): string {
    return `${greeting} ${this.Name}`.repeat(times);
  }

  Friend(): Person {
    return new Person(`${this.Name}'s friend`);
  }
}

class Version {
  Major: number;
  Minor: number;

  constructor(major: number, minor: number) {
    this.Major = major;
    this.Minor = minor;
  }

  String(): string {
    return `v${this.Major}.${this.Minor}`;
  }
}

describe('data objects', () => {
  it.each([
    ['a getter is a field', '{{.Initial}}', 'A'],
    ['a method without arguments', '{{.Friend.Name}}', "ann's friend"],
    ['a method with arguments', '{{.Greet "hi" 2}}', 'hi annhi ann'],
    ['a pipeline value is a method’s last argument', '{{"hey" | .Greet}}', 'hey ann'],
    ['fields of a class print in declaration order', '{{.}}', '{ann [a b]}'],
    ['%+v names them', '{{printf "%+v" .}}', '{Name:ann Tags:[a b]}'],
  ])('%s', (_label, template, expected) => {
    expect(renderTemplate(template, new Person('ann', ['a', 'b']))).toBe(expected);
  });

  it('prints a value with String() through it, also inside lists and maps', () => {
    const v = new Version(1, 2);
    expect(
      renderTemplate('{{.V}} {{.L}} {{.M}} {{printf "%s|%q|%d" .V .V .V}}', { V: v, L: [v], M: { k: v } }),
    ).toBe('v1.2 [v1.2] map[k:v1.2] v1.2|"v1.2"|{1 2}');
  });

  it('ranges over a Map with struct keys in field order and indexes it by an equal key', () => {
    const objects = new Map([
      [new Version(2, 0), 'b'],
      [new Version(1, 9), 'a'],
      [new Version(1, 10), 'c'],
    ]);
    expect(
      renderTemplate('{{range $k, $v := .O}}{{$k}}={{$v}} {{end}}{{index .O .K}}', {
        O: objects,
        K: new Version(1, 10),
      }),
    ).toBe('v1.9=a v1.10=c v2.0=b c');
  });

  it('gives the zero value of a map that declares one for a missing index', () => {
    const values = { cluster: 'prod', [ZERO_VALUE]: '' };
    expect(renderTemplate('[{{index .V "region"}}] [{{.V.region}}] {{len .V}}', { V: values })).toBe(
      '[] [<no value>] 1',
    );
  });

  it('takes bigints as ints, Sets as lists and Errors as their message', () => {
    expect(
      renderTemplate('{{.B}} {{printf "%d" .B}} {{.S}} {{len .S}} {{.E}}', {
        B: 12n,
        S: new Set(['x', 'y']),
        E: new Error('boom'),
      }),
    ).toBe('12 12 [x y] 2 boom');
  });

  it('reports a String() that throws in place, as Go does', () => {
    const broken = new (class Broken {
      String(): string {
        throw new Error('bad');
      }
    })();
    expect(renderTemplate('{{.}}', broken)).toBe('%!v(PANIC=String method: bad)');
  });

  it('makes a missing field of a class an error and a missing key of a map no value', () => {
    expect(renderTemplate('{{.Nope}}', { Name: 'x' })).toBe('<no value>');
    expect(() => renderTemplate('{{.Nope}}', new Person('x'))).toThrow(
      "can't evaluate field Nope in type Person",
    );
  });
});
