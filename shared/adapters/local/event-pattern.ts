// Local stand-in for Amazon EventBridge event-pattern matching (rules → targets on the local bus), because no
// maintained matcher package is available from the registry.

import type { EventPattern } from '../../events/event-definition.ts';

export type { EventPattern };

type JsonObject = { readonly [key: string]: unknown };
type Leaf = string | number | boolean | null;

const OR = '$or';
const COMPARATORS = new Map<string, (value: number, bound: number) => boolean>([
  ['=', (v, b) => v === b],
  ['<', (v, b) => v < b],
  ['<=', (v, b) => v <= b],
  ['>', (v, b) => v > b],
  ['>=', (v, b) => v >= b],
]);

const isArray = (v: unknown): v is readonly unknown[] => Array.isArray(v);
const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const isLeaf = (v: unknown): v is Leaf =>
  v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
const lower = (s: string): string => s.toLowerCase();

/** Own property of a JSON object (never an inherited one such as `constructor`), else undefined. */
function field(value: unknown, key: string): unknown {
  return isObject(value) && Object.hasOwn(value, key) ? value[key] : undefined;
}

/** Non-array members of a (possibly nested, possibly cyclic) array; a non-array is its own only member. */
function members(value: unknown): unknown[] {
  if (!isArray(value)) return [value];
  const out: unknown[] = [];
  const seen = new Set<unknown>();
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    if (!isArray(item)) out.push(item);
    else if (!seen.has(item)) {
      seen.add(item);
      for (let i = item.length - 1; i >= 0; i--) stack.push(item[i]);
    }
  }
  return out;
}

// --- Matching ---

/** Returns true when `event` (the full EventBridge envelope: version, id, detail-type, source, account, time, region, resources, detail) matches `pattern`. Never throws on any event. */
export function matchesEventPattern(pattern: EventPattern, event: unknown): boolean {
  try {
    return matchObject(pattern, event);
  } catch {
    // Safety net for hostile inputs (throwing getters, proxies): an event we cannot read does not match.
    return false;
  }
}

/** Keys are ANDed; `$or` alternatives are evaluated against the same object (array-consistent matching). */
function matchObject(pattern: JsonObject, value: unknown): boolean {
  return Object.entries(pattern).every(([key, sub]) => {
    if (key === OR && isArray(sub)) return sub.some((alt) => isObject(alt) && matchObject(alt, value));
    const child = field(value, key);
    if (isArray(sub)) return matchLeaf(sub, members(child).filter(isLeaf));
    if (isObject(sub)) {
      // Descend into every object of an event array; a field with no object below it has no nested fields.
      const objects = members(child).filter(isObject);
      return (objects.length > 0 ? objects : [undefined]).some((candidate) => matchObject(sub, candidate));
    }
    return false;
  });
}

/** A leaf is an array of alternatives (OR) tested against the leaf values present at that path. */
function matchLeaf(alternatives: readonly unknown[], values: readonly Leaf[]): boolean {
  return alternatives.some((alt) => {
    if (!isObject(alt)) return values.some((v) => v === alt); // `===` compares numbers numerically (300 === 300.0)
    const [op, arg] = Object.entries(alt)[0] ?? [];
    if (op === 'exists') return values.length > 0 ? arg === true : arg === false; // leaves only, not objects
    if (op === 'anything-but') return values.some((v) => !excludedBy(arg, v));
    return values.some((v) => matchOperator(op, arg, v));
  });
}

function matchOperator(op: string | undefined, arg: unknown, v: Leaf): boolean {
  if (op === 'numeric') return typeof v === 'number' && matchNumeric(arg, v);
  if (typeof v !== 'string') return false; // every other operator applies to strings only
  const ignoreCase = ignoreCaseOperand(arg);
  switch (op) {
    case 'prefix':
      return typeof arg === 'string' ? v.startsWith(arg) : ignoreCase !== undefined && lower(v).startsWith(ignoreCase);
    case 'suffix':
      return typeof arg === 'string' ? v.endsWith(arg) : ignoreCase !== undefined && lower(v).endsWith(ignoreCase);
    case 'equals-ignore-case':
      return typeof arg === 'string' && lower(v) === lower(arg);
    case 'wildcard':
      return typeof arg === 'string' && wildcardRegExp(arg).test(v);
    case 'cidr':
      return typeof arg === 'string' && cidrContains(arg, v);
    default:
      return false;
  }
}

/** `{ "equals-ignore-case": "x" }` nested in prefix/suffix → lower-cased "x". */
function ignoreCaseOperand(arg: unknown): string | undefined {
  const operand = field(arg, 'equals-ignore-case');
  return typeof operand === 'string' ? lower(operand) : undefined;
}

/** Whether an `anything-but` operand (value, list, or nested prefix/suffix/equals-ignore-case/wildcard) rules out `v`. */
function excludedBy(arg: unknown, v: Leaf): boolean {
  if (isLeaf(arg)) return arg === v;
  if (isArray(arg)) return arg.includes(v);
  if (!isObject(arg)) return true;
  if (typeof v !== 'string') return false; // nested anything-but operators only exclude strings
  const [op, operand] = Object.entries(arg)[0] ?? [];
  const operands = isArray(operand) ? operand : [operand];
  return operands.some((o) => {
    if (typeof o !== 'string') return true;
    if (op === 'prefix') return v.startsWith(o);
    if (op === 'suffix') return v.endsWith(o);
    if (op === 'equals-ignore-case') return lower(v) === lower(o);
    if (op === 'wildcard') return wildcardRegExp(o).test(v);
    return true;
  });
}

/** `[op, bound]` or `[op, bound, op, bound]`: every comparison must hold. */
function matchNumeric(arg: unknown, v: number): boolean {
  if (!isArray(arg) || arg.length === 0 || arg.length % 2 !== 0) return false;
  for (let i = 0; i < arg.length; i += 2) {
    const op = arg[i];
    const bound = arg[i + 1];
    const compare = typeof op === 'string' ? COMPARATORS.get(op) : undefined;
    if (!compare || typeof bound !== 'number' || !compare(v, bound)) return false;
  }
  return true;
}

const wildcardCache = new Map<string, RegExp>();

/** `*` matches any sequence (including none); `\*` is a literal star and `\\` a literal backslash. */
function wildcardRegExp(pattern: string): RegExp {
  const cached = wildcardCache.get(pattern);
  if (cached) return cached;
  let source = '';
  let escaped = false;
  for (const ch of pattern) {
    if (escaped || (ch !== '\\' && ch !== '*')) source += ch.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
    else if (ch === '*') source += '.*';
    escaped = !escaped && ch === '\\';
  }
  const re = new RegExp(`^${source}$`, 'su');
  wildcardCache.set(pattern, re);
  return re;
}

// --- IP addresses (IPv4 and IPv6) ---

type Ip = { readonly value: bigint; readonly width: 32 | 128 };

function parseIpv4(text: string): bigint | undefined {
  const parts = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text)?.slice(1).map(Number);
  if (!parts || parts.some((p) => p > 255)) return undefined;
  return parts.reduce((acc, p) => (acc << 8n) | BigInt(p), 0n);
}

function ipv6Groups(text: string, allowIpv4Tail: boolean): number[] | undefined {
  if (text === '') return [];
  const groups: number[] = [];
  const items = text.split(':');
  for (const [i, item] of items.entries()) {
    const v4 = allowIpv4Tail && i === items.length - 1 && item.includes('.') ? parseIpv4(item) : undefined;
    if (v4 !== undefined) groups.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
    else if (/^[0-9a-f]{1,4}$/i.test(item)) groups.push(Number.parseInt(item, 16));
    else return undefined;
  }
  return groups;
}

function parseIp(text: string): Ip | undefined {
  const v4 = parseIpv4(text);
  if (v4 !== undefined) return { value: v4, width: 32 };
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = ipv6Groups(halves[0] ?? '', halves.length === 1);
  const tail = ipv6Groups(halves[1] ?? '', true);
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [...head, ...new Array<number>(missing).fill(0), ...tail];
  return { value: groups.reduce((acc, g) => (acc << 16n) | BigInt(g), 0n), width: 128 };
}

function parseCidr(text: string): (Ip & { readonly bits: number }) | undefined {
  const [address = '', bits = '', ...rest] = text.split('/');
  const ip = parseIp(address);
  if (!ip || rest.length > 0 || !/^\d{1,3}$/.test(bits) || Number(bits) > ip.width) return undefined;
  return { ...ip, bits: Number(bits) };
}

function cidrContains(cidr: string, address: string): boolean {
  const net = parseCidr(cidr);
  const ip = parseIp(address);
  if (!net || !ip || net.width !== ip.width) return false;
  const shift = BigInt(net.width - net.bits);
  return ip.value >> shift === net.value >> shift;
}

// --- Validation ---

/** Throws an Error with a clear message naming the offending key when a pattern is not a valid EventBridge pattern (e.g. a leaf that is not an array, an unknown operator, a numeric operator with wrong operand types). Used at start-up to validate the topology's patterns. */
export function assertValidEventPattern(pattern: EventPattern): void {
  validateObject(pattern, '', false);
}

/** Operand checks per operator: each returns what is wrong with the operand, or undefined when it is valid. */
const OPERAND_CHECKS = new Map<string, (arg: unknown) => string | undefined>([
  ['prefix', (a) => (isText(a) || isIgnoreCase(a) ? undefined : 'takes a string or { "equals-ignore-case": string }')],
  ['suffix', (a) => (isText(a) || isIgnoreCase(a) ? undefined : 'takes a string or { "equals-ignore-case": string }')],
  ['equals-ignore-case', (a) => (isText(a) ? undefined : 'takes a string')],
  ['wildcard', wildcardError],
  ['exists', (a) => (typeof a === 'boolean' ? undefined : 'takes true or false')],
  ['cidr', (a) => (isText(a) && parseCidr(a) ? undefined : 'takes an IPv4 or IPv6 CIDR block such as "10.0.0.0/24"')],
  ['numeric', numericError],
  ['anything-but', anythingButError],
]);

const isText = (v: unknown): v is string => typeof v === 'string';
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isListOf = <T>(v: unknown, ok: (item: unknown) => item is T): v is readonly T[] =>
  isArray(v) && v.length > 0 && v.every(ok);
const isIgnoreCase = (v: unknown): boolean =>
  isObject(v) && Object.keys(v).length === 1 && ignoreCaseOperand(v) !== undefined;

function fail(path: string, message: string): never {
  throw new Error(`Invalid EventBridge event pattern at "${path || '(root)'}": ${message}`);
}

function validateObject(pattern: unknown, path: string, insideOr: boolean): void {
  if (!isObject(pattern)) fail(path, `expected a JSON object, got ${JSON.stringify(pattern)}`);
  const entries = Object.entries(pattern);
  if (entries.length === 0) fail(path, 'empty objects are not allowed');
  for (const [key, value] of entries) {
    const at = path ? `${path}.${key}` : key;
    if (key === OR) {
      if (!isArray(value) || value.length < 2) fail(at, '"$or" must be an array of at least two objects');
      for (const [i, alternative] of value.entries()) validateObject(alternative, `${at}[${i}]`, true);
    } else if (insideOr && OPERAND_CHECKS.has(key)) fail(at, `"${key}" is an operator, not a field name, inside "$or"`);
    else if (isArray(value)) validateLeaf(value, at);
    else if (isObject(value)) validateObject(value, at, insideOr);
    else if (OPERAND_CHECKS.has(key)) fail(at, `the "${key}" operator must be inside an array: [{ "${key}": ... }]`);
    else fail(at, `expected an array of match values or a nested object, got ${JSON.stringify(value)}`);
  }
}

function validateLeaf(values: readonly unknown[], path: string): void {
  if (values.length === 0) fail(path, 'empty arrays are not allowed');
  for (const value of values) {
    if (!isObject(value)) {
      if (!isLeaf(value) || (typeof value === 'number' && !isNumber(value)))
        fail(path, `match values must be strings, numbers, booleans, null or operators, got ${JSON.stringify(value)}`);
      continue;
    }
    const entries = Object.entries(value);
    const [op, arg] = entries[0] ?? [];
    const check = op === undefined ? undefined : OPERAND_CHECKS.get(op);
    if (entries.length !== 1) fail(path, `a match expression must have exactly one operator: ${JSON.stringify(value)}`);
    if (!check) fail(path, `unknown operator "${op}"`);
    const error = check(arg);
    if (error !== undefined) fail(path, `"${op}" ${error}, got ${JSON.stringify(arg)}`);
  }
}

function wildcardError(arg: unknown): string | undefined {
  if (!isText(arg)) return 'takes a string';
  let escaped = false;
  let previousWasStar = false;
  for (const ch of arg) {
    if (escaped && ch !== '*' && ch !== '\\') return 'may only escape "*" or "\\" with a backslash';
    if (!escaped && ch === '*' && previousWasStar) return 'does not allow consecutive wildcard characters';
    previousWasStar = !escaped && ch === '*';
    escaped = !escaped && ch === '\\';
  }
  return escaped ? 'does not allow a trailing backslash' : undefined;
}

function numericError(arg: unknown): string | undefined {
  const usage = 'takes ["<op>", number] or [">" | ">=", number, "<" | "<=", number] with <op> one of = < <= > >=';
  if (!isArray(arg)) return usage;
  const [op, bound, upperOp, upperBound] = arg;
  if (arg.length === 2) return isText(op) && COMPARATORS.has(op) && isNumber(bound) ? undefined : usage;
  if (arg.length !== 4 || (op !== '>' && op !== '>=') || (upperOp !== '<' && upperOp !== '<=')) return usage;
  if (!isNumber(bound) || !isNumber(upperBound)) return usage;
  return bound < upperBound ? undefined : 'needs a lower bound below its upper bound';
}

function anythingButError(arg: unknown): string | undefined {
  if (isText(arg) || isNumber(arg) || isListOf(arg, isText) || isListOf(arg, isNumber)) return undefined;
  const [op, operand] = isObject(arg) && Object.keys(arg).length === 1 ? (Object.entries(arg)[0] ?? []) : [];
  if ((op === 'prefix' || op === 'suffix') && isText(operand) && operand !== '') return undefined;
  const texts = isText(operand) ? [operand] : isListOf(operand, isText) ? operand : undefined;
  if (op === 'equals-ignore-case' && texts) return undefined;
  if (op === 'wildcard' && texts) return texts.map(wildcardError).find((error) => error !== undefined);
  return (
    'takes a string, a number, a list of only strings or only numbers, { "prefix" | "suffix": non-empty string } ' +
    'or { "equals-ignore-case" | "wildcard": string or list of strings }'
  );
}
