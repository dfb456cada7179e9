import { StreamsError } from '@tributary/core';

/** What a subject name is made from. */
export interface SubjectContext {
  /** The topic as the broker names it (internal topics with the application id). */
  readonly topic: string;
  /** True for the key serde. */
  readonly isKey: boolean;
  /**
   * The record's type name, from the serde's schema: an Avro record's full name
   * (`namespace.Name`), a Protobuf message's full name (`package.Message`), a JSON Schema's
   * `title`. Undefined when the serde has no schema of its own, or the schema names no type.
   */
  readonly recordName: string | undefined;
}

/** Chooses the subject a schema is registered and looked up under (Confluent's `subject.name.strategy`). */
export type SubjectNameStrategy = (context: SubjectContext) => string;

/** `<topic>-key` / `<topic>-value`: one schema history per topic. The default. */
export const TopicNameStrategy: SubjectNameStrategy = ({ topic, isKey }) => `${topic}-${isKey ? 'key' : 'value'}`;

/** `<record name>`: one schema history per record type, shared by every topic that carries it. */
export const RecordNameStrategy: SubjectNameStrategy = (context) => requireRecordName(context, 'RecordNameStrategy');

/** `<topic>-<record name>`: one schema history per record type and topic, so a topic may carry several types. */
export const TopicRecordNameStrategy: SubjectNameStrategy = (context) => `${context.topic}-${requireRecordName(context, 'TopicRecordNameStrategy')}`;

function requireRecordName(context: SubjectContext, strategy: string): string {
  if (!context.recordName) {
    throw new StreamsError(
      `${strategy} names the subject after the record type, but this serde's schema names none (for topic '${context.topic}'): give the serde a schema with a record name (an Avro record, a Protobuf message, a JSON Schema with a title), or use TopicNameStrategy`,
    );
  }
  return context.recordName;
}
