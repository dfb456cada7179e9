import * as protobufModule from 'protobufjs';
import type { IConversionOptions, Namespace, Root, Type } from 'protobufjs';
import { SchemaValidationError, StreamsError } from '@tributary/core';
import type { Schema } from '../client/SchemaRegistryClient';
import { readMessageIndexes, writeMessageIndexes } from '../wireFormat';
import { protobufIssues } from './protobufValues';
import type { SchemaCodec, SchemaFormat } from './SchemaFormat';

// protobufjs is CommonJS; take its exports whichever way the ES module loader hands them over.
const protobuf = (protobufModule as unknown as { default?: typeof protobufModule }).default ?? protobufModule;

export interface ProtobufFormatOptions {
  /**
   * The `.proto` source the serde writes with (`syntax = "proto3"; message Order { ... }`).
   * Imports of Google's well-known types (`google/protobuf/timestamp.proto`...) are understood;
   * other imports (schema references) are not supported. Without it the serde writes only with
   * `useLatestVersion`; it reads any schema the records name.
   */
  schema?: string;
  /** The message the serde writes, by name (`Order`, or `shop.Order`). Defaults to the first message of the schema. */
  messageType?: string;
  /**
   * How read messages become plain objects (protobufjs `toObject` options). Defaults to
   * `{ longs: String, enums: String, defaults: true, arrays: true, objects: true, oneofs: true }`:
   * 64-bit integers as decimal strings (exact, as in Protobuf's JSON mapping), enums by name,
   * every field present (proto3 defaults), and each oneof's set field named.
   */
  conversion?: IConversionOptions;
}

const DEFAULT_CONVERSION: IConversionOptions = { longs: String, enums: String, defaults: true, arrays: true, objects: true, oneofs: true };

/**
 * Protobuf in the Confluent format: the payload is the message indexes (which message of the
 * schema file was written) and then the message's Protobuf encoding. Field names are as in the
 * `.proto` file (`keepCase`), not camel-cased.
 */
export function protobufFormat<T>(options: ProtobufFormatOptions): SchemaFormat<T> {
  const conversion = options.conversion ?? DEFAULT_CONVERSION;
  const own: Schema | undefined = options.schema === undefined ? undefined : { schema: options.schema, schemaType: 'PROTOBUF' };
  const ownFile = own && parseFile(own.schema);
  const ownType = ownFile && writtenType(ownFile, options.messageType);
  return {
    name: 'protobuf',
    schemaType: 'PROTOBUF',
    own,
    recordName: ownType?.fullName.slice(1),
    compile(schema, use) {
      const file = schema === own ? ownFile! : parseFile(schema.schema);
      if (use === 'write') {
        const type = schema === own ? ownType! : writtenType(file, options.messageType);
        return writerCodec<T>(type, writeMessageIndexes(indexesOf(file, type)), conversion);
      }
      return {
        encode: () => {
          throw new Error('a read codec does not write');
        },
        decode: (payload) => {
          const { indexes, next } = readMessageIndexes(payload, 0);
          const type = typeAt(file, indexes);
          return type.toObject(type.decode(payload.subarray(next)), conversion) as T;
        },
      };
    },
  };
}

interface ProtoFile {
  readonly root: Root;
  /** The file's package namespace (the root without a package): its messages are the top-level ones. */
  readonly scope: Namespace;
}

function parseFile(source: string): ProtoFile {
  const root = new protobuf.Root();
  // Well-known types first, so the file's references to them resolve.
  const imports = [...source.matchAll(/^\s*import\s+(?:public\s+|weak\s+)?"([^"]+)"\s*;/gm)].map((m) => m[1]!);
  for (const file of imports) {
    const common = protobuf.common.get(file);
    if (!common?.nested) {
      throw new StreamsError(`the Protobuf schema imports '${file}', and schema references are not supported: only Google's well-known types (google/protobuf/*.proto) may be imported`);
    }
    root.addJSON(common.nested);
  }
  const parsed = protobuf.parse(source, root, { keepCase: true });
  root.resolveAll();
  const scope = parsed.package ? root.lookup(parsed.package) : root;
  if (!(scope instanceof protobuf.Namespace)) throw new StreamsError(`the Protobuf schema's package '${parsed.package}' is not a namespace`);
  return { root, scope };
}

function messagesOf(namespace: Namespace): Type[] {
  return namespace.nestedArray.filter((n): n is Type => n instanceof protobuf.Type);
}

function writtenType(file: ProtoFile, name: string | undefined): Type {
  if (name === undefined) {
    const first = messagesOf(file.scope)[0];
    if (!first) throw new StreamsError('the Protobuf schema defines no message');
    return first;
  }
  const found = file.scope.lookup(name) ?? file.root.lookup(name);
  if (!(found instanceof protobuf.Type)) {
    throw new StreamsError(`the Protobuf schema has no message '${name}' (its messages: ${messagesOf(file.scope).map((t) => t.name).join(', ') || 'none'})`);
  }
  return found;
}

/** The path of indexes from the file to `type`: its index among the file's messages, then among its parent's nested messages... */
function indexesOf(file: ProtoFile, type: Type): number[] {
  const indexes: number[] = [];
  let current: Type = type;
  for (;;) {
    const parent = current.parent;
    if (!parent) throw new StreamsError(`message ${current.fullName} is not in the schema file`);
    indexes.unshift(messagesOf(parent).indexOf(current));
    if (parent === file.scope) return indexes;
    if (!(parent instanceof protobuf.Type)) throw new StreamsError(`message ${type.fullName.slice(1)} is not declared in this schema file`);
    current = parent;
  }
}

function typeAt(file: ProtoFile, indexes: readonly number[]): Type {
  let scope: Namespace = file.scope;
  let type: Type | undefined;
  for (const index of indexes) {
    type = messagesOf(scope)[index];
    if (!type) throw new StreamsError(`the record names message index path [${indexes.join(', ')}], which this Protobuf schema does not have`);
    scope = type;
  }
  if (!type) throw new StreamsError('the record names an empty message index path');
  return type;
}

function writerCodec<T>(type: Type, indexes: Buffer, conversion: IConversionOptions): SchemaCodec<T> {
  return {
    encode: (value) => {
      const issues = protobufIssues(type, value);
      if (issues.length > 0) throw new SchemaValidationError(issues);
      const bytes = type.encode(type.fromObject(value as Record<string, unknown>)).finish();
      return Buffer.concat([indexes, bytes]);
    },
    decode: (payload) => {
      const { next } = readMessageIndexes(payload, 0);
      return type.toObject(type.decode(payload.subarray(next)), conversion) as T;
    },
  };
}
