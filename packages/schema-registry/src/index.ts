// The public API of @tributary/schema-registry: Schema Registry serdes (Avro, Protobuf, JSON
// Schema in the Confluent wire format), their registry clients, subject name strategies and errors.

// The registry and its serdes.
export { SchemaRegistry, type SchemaRegistryOptions, type AvroSerdeOptions, type ProtobufSerdeOptions, type JsonSchemaSerdeOptions } from './SchemaRegistry';
export { RegistrySerde, type RegistrySerdeOptions } from './RegistrySerde';
export type { AvroSchema } from './formats/avroFormat';

// Subject names.
export { TopicNameStrategy, RecordNameStrategy, TopicRecordNameStrategy, type SubjectNameStrategy, type SubjectContext } from './subjectNameStrategy';

// Registry clients.
export type { SchemaRegistryClient, Schema, SchemaType, SchemaReference, SubjectVersion } from './client/SchemaRegistryClient';
export { HttpSchemaRegistryClient, type HttpSchemaRegistryClientOptions } from './client/HttpSchemaRegistryClient';
export { InMemorySchemaRegistry } from './client/InMemorySchemaRegistry';

// The wire format, for tools that frame or unframe records themselves.
export { MAGIC_BYTE, HEADER_SIZE, writeHeader, readSchemaId, writeMessageIndexes, readMessageIndexes } from './wireFormat';

// Errors.
export { SchemaRegistryError, IncompatibleSchemaError, SchemaNotRegisteredError } from './errors';
