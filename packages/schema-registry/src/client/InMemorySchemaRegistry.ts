import { SchemaRegistryError } from '../errors';
import type { Schema, SchemaRegistryClient, SubjectVersion } from './SchemaRegistryClient';

/**
 * A Schema Registry in memory, for unit tests (the TopologyTestDriver) where no registry runs:
 * Confluent's `mock://` registry. Ids and versions count from 1 as a real registry's do; the
 * same schema text gets the same id under every subject. It checks no compatibility: every
 * schema is accepted, so compatibility errors need a real registry.
 *
 * ## Example
 * ```ts
 * import { InMemorySchemaRegistry, SchemaRegistry } from '@tributary/schema-registry';
 *
 * const registry = new SchemaRegistry({ client: new InMemorySchemaRegistry() });
 * ```
 */
export class InMemorySchemaRegistry implements SchemaRegistryClient {
  readonly url: string;
  private readonly schemas: Schema[] = [];
  private readonly subjects = new Map<string, SubjectVersion[]>();

  /** @param url a name for error messages. Defaults to `mock://in-memory`. */
  constructor(url = 'mock://in-memory') {
    this.url = url;
  }

  async schemaById(id: number): Promise<Schema> {
    const schema = this.schemas[id - 1];
    if (!schema) throw this.notFound(`schema id ${id} is not registered`, 40403);
    return schema;
  }

  async lookup(subject: string, schema: Schema): Promise<SubjectVersion> {
    const versions = this.subjects.get(subject);
    if (!versions) throw this.notFound(`subject '${subject}' not found`, 40401, subject);
    const found = versions.find((v) => sameSchema(v, schema));
    if (!found) throw this.notFound(`the schema is not registered under subject '${subject}'`, 40403, subject);
    return found;
  }

  async register(subject: string, schema: Schema): Promise<number> {
    const versions = this.subjects.get(subject) ?? [];
    const existing = versions.find((v) => sameSchema(v, schema));
    if (existing) return existing.id;
    let index = this.schemas.findIndex((s) => sameSchema(s, schema));
    if (index < 0) index = this.schemas.push({ schema: schema.schema, schemaType: schema.schemaType, references: schema.references ?? [] }) - 1;
    const id = index + 1;
    versions.push({ ...this.schemas[index]!, subject, version: (versions.at(-1)?.version ?? 0) + 1, id });
    this.subjects.set(subject, versions);
    return id;
  }

  async versions(subject: string): Promise<number[]> {
    const versions = this.subjects.get(subject);
    if (!versions) throw this.notFound(`subject '${subject}' not found`, 40401, subject);
    return versions.map((v) => v.version);
  }

  async version(subject: string, version: number | 'latest'): Promise<SubjectVersion> {
    const versions = this.subjects.get(subject);
    if (!versions) throw this.notFound(`subject '${subject}' not found`, 40401, subject);
    const found = version === 'latest' ? versions.at(-1) : versions.find((v) => v.version === version);
    if (!found) throw this.notFound(`subject '${subject}' has no version ${version}`, 40402, subject);
    return found;
  }

  async compatibility(): Promise<string> {
    return 'NONE';
  }

  private notFound(message: string, errorCode: number, subject?: string): SchemaRegistryError {
    return new SchemaRegistryError(`Schema Registry ${this.url}: ${message}`, { registryUrl: this.url, status: 404, errorCode, subject, cause: { message } });
  }
}

function sameSchema(a: Schema, b: Schema): boolean {
  return a.schema === b.schema && a.schemaType === b.schemaType;
}
