import * as protobufModule from 'protobufjs';
import type { Field, Type } from 'protobufjs';

const protobuf = (protobufModule as unknown as { default?: typeof protobufModule }).default ?? protobufModule;

/** One problem of a value, in Standard Schema's shape (what `SchemaValidationError` takes). */
export interface ValueIssue {
  readonly message: string;
  readonly path: readonly (string | number)[];
}

type Path = readonly (string | number)[];

const INT32: readonly [number, number] = [-0x80000000, 0x7fffffff];
const UINT32: readonly [number, number] = [0, 0xffffffff];

/**
 * Every way `value` (a plain object, as the serde reads them) does not fit message `type`, with
 * paths. protobufjs's own `fromObject` coerces silently (a string into an int32 field becomes
 * 0) and its `verify` refuses the forms the serde reads (enum names, 64-bit integers as
 * strings), so the serde checks with this before it converts. Accepts what `toObject` gives:
 * enum names or numbers, 64-bit integers as numbers, bigints, decimal strings or Longs, bytes as
 * Buffers, Uint8Arrays or base64 strings, and the oneof properties naming the field set.
 */
export function protobufIssues(type: Type, value: unknown, path: Path = []): ValueIssue[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || Buffer.isBuffer(value)) {
    return [{ message: `Expected message ${type.fullName.slice(1)}, received ${describe(value)}`, path }];
  }
  const issues: ValueIssue[] = [];
  const record = value as Record<string, unknown>;
  for (const [key, item] of Object.entries(record)) {
    if (item === undefined || item === null) continue;
    const field = type.fields[key];
    if (!field) {
      const oneof = type.oneofs?.[key];
      if (oneof) {
        if (typeof item !== 'string' || !oneof.oneof.includes(item)) issues.push({ message: `Expected the name of a field of oneof ${key} (${oneof.oneof.join(', ')}), received ${describe(item)}`, path: [...path, key] });
        continue;
      }
      issues.push({ message: `Message ${type.fullName.slice(1)} has no field '${key}'`, path: [...path, key] });
      continue;
    }
    issues.push(...fieldIssues(field, item, [...path, key]));
  }
  for (const field of type.fieldsArray) {
    if (field.required && (record[field.name] === undefined || record[field.name] === null)) issues.push({ message: 'Required field is missing', path: [...path, field.name] });
  }
  return issues;
}

function fieldIssues(field: Field, value: unknown, path: Path): ValueIssue[] {
  if (field.map) {
    if (typeof value !== 'object' || Array.isArray(value) || Buffer.isBuffer(value)) return [{ message: `Expected a map (an object), received ${describe(value)}`, path }];
    const keyType = (field as Field & { keyType: string }).keyType;
    const issues: ValueIssue[] = [];
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      if (keyType !== 'string' && keyType !== 'bool' && !/^-?\d+$/.test(key)) issues.push({ message: `Expected a ${keyType} map key, received ${JSON.stringify(key)}`, path: [...path, key] });
      issues.push(...elementIssues(field, item, [...path, key]));
    }
    return issues;
  }
  if (field.repeated) {
    if (!Array.isArray(value)) return [{ message: `Expected an array (repeated ${field.type}), received ${describe(value)}`, path }];
    return value.flatMap((item, index) => elementIssues(field, item, [...path, index]));
  }
  return elementIssues(field, value, path);
}

function elementIssues(field: Field, value: unknown, path: Path): ValueIssue[] {
  const resolved = field.resolvedType;
  if (resolved instanceof protobuf.Type) return protobufIssues(resolved, value, path);
  if (resolved instanceof protobuf.Enum) {
    if (typeof value === 'string' && value in resolved.values) return [];
    if (typeof value === 'number' && Number.isInteger(value) && value >= INT32[0] && value <= INT32[1]) return [];
    return [{ message: `Expected a value of enum ${resolved.fullName.slice(1)} (${Object.keys(resolved.values).join(', ')}), received ${describe(value)}`, path }];
  }
  const problem = scalarProblem(field.type, value);
  return problem ? [{ message: `Expected ${problem}, received ${describe(value)}`, path }] : [];
}

/** What a scalar of protobuf type `type` should be, when `value` is not one; else undefined. */
function scalarProblem(type: string, value: unknown): string | undefined {
  switch (type) {
    case 'double':
    case 'float':
      return typeof value === 'number' ? undefined : `a number (${type})`;
    case 'int32':
    case 'sint32':
    case 'sfixed32':
      return isIntegerIn(value, INT32) ? undefined : `an integer from ${INT32[0]} to ${INT32[1]} (${type})`;
    case 'uint32':
    case 'fixed32':
      return isIntegerIn(value, UINT32) ? undefined : `an integer from 0 to ${UINT32[1]} (${type})`;
    case 'int64':
    case 'sint64':
    case 'sfixed64':
      return isLong(value, true) ? undefined : `a 64-bit integer: a safe integer, a bigint or a decimal string (${type})`;
    case 'uint64':
    case 'fixed64':
      return isLong(value, false) ? undefined : `an unsigned 64-bit integer: a safe integer, a bigint or a decimal string (${type})`;
    case 'bool':
      return typeof value === 'boolean' ? undefined : 'a boolean';
    case 'string':
      return typeof value === 'string' ? undefined : 'a string';
    case 'bytes':
      return value instanceof Uint8Array || (typeof value === 'string' && /^[A-Za-z0-9+/_-]*={0,2}$/.test(value)) ? undefined : 'bytes (a Buffer, a Uint8Array or a base64 string)';
    default:
      return `a value of unresolved type ${type}`;
  }
}

function isIntegerIn(value: unknown, [min, max]: readonly [number, number]): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

function isLong(value: unknown, signed: boolean): boolean {
  if (typeof value === 'number') return Number.isSafeInteger(value) && (signed || value >= 0);
  if (typeof value === 'string') return /^-?\d{1,20}$/.test(value) && isLong(BigInt(value), signed);
  if (typeof value === 'bigint') return signed ? value >= -(2n ** 63n) && value < 2n ** 63n : value >= 0n && value < 2n ** 64n;
  // A Long of the long library, as protobufjs makes them.
  return typeof value === 'object' && value !== null && Number.isInteger((value as { low?: unknown }).low) && Number.isInteger((value as { high?: unknown }).high);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (Buffer.isBuffer(value)) return 'a Buffer';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'bigint') return `${value}n`;
  return String(value);
}
