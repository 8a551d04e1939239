/**
 * How JavaScript data looks to a Go template. Go has types; JavaScript has shapes, so the mapping is:
 *
 * | JavaScript                                   | Go kind | fields                               |
 * | -------------------------------------------- | ------- | ------------------------------------ |
 * | undefined                                    | no value (an invalid reflect.Value)     |
 * | null                                         | nil                                     |
 * | boolean, string                              | bool, string                            |
 * | number (safe integer) / other number, bigint | int / float64, int                      |
 * | Array, typed array, Set                      | slice   | none                                  |
 * | Map, plain object (`{}` or null prototype)   | map     | own keys; a missing key is no value   |
 * | class instance                               | struct  | own fields, getters and methods of its class; a missing field is an error |
 * | function                                     | func    | none (use `call`)                     |
 *
 * Templates come from users' config, so nothing reaches JavaScript's machinery: a plain object
 * answers only its own keys; a class instance answers its own fields and what its own classes
 * define, never what Object, Function, Array or Map provide; `constructor`, `prototype` and
 * `__proto__` are never found.
 */

export type GoKind =
  | 'invalid'
  | 'nil'
  | 'bool'
  | 'int'
  | 'float'
  | 'string'
  | 'slice'
  | 'map'
  | 'struct'
  | 'func';

/** A value ferry's data provider may attach to a map so that `index` of a missing key returns it (Go's zero value of the element type, such as `""` for `map[string]string`). */
export const ZERO_VALUE: unique symbol = Symbol('template zero value');

const DENIED_NAMES = new Set(['constructor', 'prototype', '__proto__']);

const INTRINSIC_PROTOTYPES = new Set<unknown>([
  Object.prototype,
  Function.prototype,
  Array.prototype,
  Map.prototype,
  Set.prototype,
  WeakMap.prototype,
  WeakSet.prototype,
  Date.prototype,
  RegExp.prototype,
  Error.prototype,
  Promise.prototype,
  ArrayBuffer.prototype,
  Object.getPrototypeOf(Uint8Array.prototype),
  String.prototype,
  Number.prototype,
  Boolean.prototype,
  Symbol.prototype,
  BigInt.prototype,
]);

export function kindOf(value: unknown): GoKind {
  switch (typeof value) {
    case 'undefined':
      return 'invalid';
    case 'boolean':
      return 'bool';
    case 'string':
      return 'string';
    case 'bigint':
      return 'int';
    case 'number':
      return Number.isSafeInteger(value) && !Object.is(value, -0) ? 'int' : 'float';
    case 'function':
      return 'func';
    case 'symbol':
      return 'struct';
  }
  if (value === null) return 'nil';
  if (
    Array.isArray(value) ||
    value instanceof Set ||
    (ArrayBuffer.isView(value) && !(value instanceof DataView))
  ) {
    return 'slice';
  }
  if (value instanceof Map || isPlainObject(value)) return 'map';
  return 'struct';
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** The elements of a slice-kind value. */
export function sliceItems(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (value instanceof Set) return [...value];
  return Array.from(value as ArrayLike<unknown>);
}

export function mapSize(value: unknown): number {
  return value instanceof Map ? value.size : mapKeys(value as Record<string, unknown>).length;
}

function mapKeys(value: Record<string, unknown>): string[] {
  return Object.keys(value).filter((key) => key !== '__proto__');
}

/** A map's entries in Go's order (fmtsort: numbers, then strings by bytes, structs field by field). */
export function sortedEntries(value: unknown): [unknown, unknown][] {
  const entries: [unknown, unknown][] =
    value instanceof Map
      ? [...value.entries()]
      : mapKeys(value as Record<string, unknown>).map((key) => [
          key,
          (value as Record<string, unknown>)[key],
        ]);
  return entries.sort((a, b) => compareKeys(a[0], b[0]));
}

/** The value of a map key, or undefined (Go's invalid value) when absent. */
export function mapGet(map: unknown, key: unknown): unknown {
  if (map instanceof Map) {
    if (map.has(key)) return map.get(key);
    if (typeof key === 'object' && key !== null) {
      for (const [candidate, value] of map) if (structurallyEqual(candidate, key)) return value;
    }
    return undefined;
  }
  const record = map as Record<string, unknown>;
  return typeof key === 'string' && key !== '__proto__' && Object.hasOwn(record, key)
    ? record[key]
    : undefined;
}

/** Own enumerable fields of a struct-kind value, in declaration order. */
export function structFields(value: object): [string, unknown][] {
  return Object.keys(value).map((key) => [key, (value as Record<string, unknown>)[key]]);
}

export type Member =
  | { kind: 'method'; fn: (...args: unknown[]) => unknown }
  | { kind: 'field'; value: unknown }
  | undefined;

/** A method of the value's own classes, never one JavaScript provides. */
export function findMethod(receiver: unknown, name: string): ((...args: unknown[]) => unknown) | undefined {
  if (typeof receiver !== 'object' || receiver === null || DENIED_NAMES.has(name)) return undefined;
  for (let proto = Object.getPrototypeOf(receiver); proto && !INTRINSIC_PROTOTYPES.has(proto); ) {
    const descriptor = Object.getOwnPropertyDescriptor(proto, name);
    if (descriptor) return typeof descriptor.value === 'function' ? descriptor.value : undefined;
    proto = Object.getPrototypeOf(proto);
  }
  return undefined;
}

/** A struct's field or getter (own or of its classes), or its method. */
export function structMember(receiver: object, name: string): Member {
  if (DENIED_NAMES.has(name)) return undefined;
  if (receiver instanceof Error) return name === 'Error' ? { kind: 'method', fn: errorText } : undefined;
  if (Object.hasOwn(receiver, name))
    return { kind: 'field', value: (receiver as Record<string, unknown>)[name] };
  for (let proto = Object.getPrototypeOf(receiver); proto && !INTRINSIC_PROTOTYPES.has(proto); ) {
    const descriptor = Object.getOwnPropertyDescriptor(proto, name);
    if (descriptor?.get) return { kind: 'field', value: descriptor.get.call(receiver) };
    if (descriptor) {
      return typeof descriptor.value === 'function'
        ? { kind: 'method', fn: descriptor.value }
        : { kind: 'field', value: descriptor.value };
    }
    proto = Object.getPrototypeOf(proto);
  }
  return undefined;
}

/** An Error is a Go error: its Error() is its message, and its stack stays out of reach. */
function errorText(this: Error): string {
  return this.message;
}

/** Go's truth: false, 0, nil, and empty strings, slices and maps are false; structs are true. */
export function isTrue(value: unknown): boolean {
  switch (kindOf(value)) {
    case 'invalid':
    case 'nil':
      return false;
    case 'bool':
      return value as boolean;
    case 'int':
    case 'float':
      return typeof value === 'bigint' ? value !== 0n : value !== 0;
    case 'string':
      return (value as string).length > 0;
    case 'slice':
      return sliceItems(value).length > 0;
    case 'map':
      return mapSize(value) > 0;
    default:
      return true;
  }
}

/** The Go type a value stands for, as error messages and `%T` name it. */
export function goTypeName(value: unknown): string {
  switch (kindOf(value)) {
    case 'invalid':
    case 'nil':
      return '<nil>';
    case 'bool':
    case 'string':
    case 'int':
      return kindOf(value);
    case 'float':
      return 'float64';
    case 'slice':
      return value instanceof Uint8Array ? '[]uint8' : '[]interface {}';
    case 'map':
      return value instanceof Map ? 'map[interface {}]interface {}' : 'map[string]interface {}';
    case 'struct':
      return (value as object).constructor?.name || 'struct {}';
    default:
      return 'func';
  }
}

/** Compares strings by code point, which is Go's byte order of their UTF-8 encoding. */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.codePointAt(i) ?? 0;
    const y = b.codePointAt(i) ?? 0;
    if (x !== y) return x < y ? -1 : 1;
    if (x > 0xffff) i++;
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

const KEY_RANK: Record<GoKind, number> = {
  invalid: 0,
  nil: 0,
  bool: 1,
  int: 2,
  float: 2,
  string: 3,
  slice: 4,
  map: 4,
  struct: 5,
  func: 6,
};

/** fmtsort's order for map keys. */
export function compareKeys(a: unknown, b: unknown): number {
  const ka = kindOf(a);
  const kb = kindOf(b);
  if (KEY_RANK[ka] !== KEY_RANK[kb]) return KEY_RANK[ka] - KEY_RANK[kb];
  switch (ka) {
    case 'bool':
      return Number(a) - Number(b);
    case 'int':
    case 'float': {
      const x = Number(a);
      const y = Number(b);
      if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) ? (Number.isNaN(y) ? 0 : -1) : 1;
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case 'string':
      return compareStrings(a as string, b as string);
    case 'struct': {
      const fa = structFields(a as object);
      const fb = structFields(b as object);
      for (let i = 0; i < Math.min(fa.length, fb.length); i++) {
        const order = compareKeys(fa[i]?.[1], fb[i]?.[1]);
        if (order !== 0) return order;
      }
      return fa.length - fb.length;
    }
    default:
      return 0;
  }
}

/** Go's == for comparable values: basic values by value, structs field by field. */
export function structurallyEqual(a: unknown, b: unknown): boolean {
  const ka = kindOf(a);
  if (ka !== 'struct' || kindOf(b) !== 'struct') {
    if ((ka === 'int' || ka === 'float') && typeof a !== typeof b) return Number(a) === Number(b);
    return a === b;
  }
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  const fa = structFields(a as object);
  const fb = structFields(b as object);
  return (
    fa.length === fb.length &&
    fa.every(([key, value], i) => fb[i]?.[0] === key && structurallyEqual(value, fb[i]?.[1]))
  );
}

const encoder = new TextEncoder();

/** UTF-8 bytes of a string, as Go's `len`, `index` and `slice` see it. */
export function utf8Bytes(text: string): Uint8Array {
  return encoder.encode(text);
}
