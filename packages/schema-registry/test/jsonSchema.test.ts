import { SchemaValidationError } from '@tributary/core';
import { describe, expect, it } from 'vitest';
import { InMemorySchemaRegistry, SchemaRegistry, writeHeader } from '../src/index';

const customer = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'Customer',
  type: 'object',
  properties: { id: { type: 'string' }, visits: { type: 'integer', minimum: 0 }, email: { type: 'string', format: 'email' } },
  required: ['id', 'visits'],
  additionalProperties: false,
};
const writeUsage = (topic: string) => ({ topic, isKey: false, internal: false, reads: false, writes: true });

async function prepared(schema: object = customer, validateReads?: boolean) {
  const client = new InMemorySchemaRegistry();
  const registry = new SchemaRegistry({ client });
  const serde = registry.jsonSchema({ schema, autoRegister: true, validateReads });
  await serde.prepare(writeUsage('customers'));
  return { client, serde };
}

describe('JSON Schema serde', () => {
  it('writes the framed JSON of the value and registers the schema as JSON', async () => {
    const { client, serde } = await prepared();
    const bytes = serde.serialize('customers', { id: 'c-1', visits: 3 })!;
    expect(bytes.subarray(0, 5)).toEqual(writeHeader(1));
    expect(JSON.parse(bytes.subarray(5).toString('utf8'))).toEqual({ id: 'c-1', visits: 3 });
    expect(await client.schemaById(1)).toMatchObject({ schemaType: 'JSON', schema: JSON.stringify(customer) });
    expect(serde.deserialize('customers', bytes)).toEqual({ id: 'c-1', visits: 3 });
  });

  it('refuses to write a value outside the schema, with each issue and its path', async () => {
    const { serde } = await prepared();
    const write = () => serde.serialize('customers', { id: 'c-1', visits: 1.5, email: 'not-an-email', extra: true });
    expect(write).toThrow(SchemaValidationError);
    expect(write).toThrow('schema validation failed: extra: Property is not in the schema (additionalProperties is false); visits: must be integer; email: must match format "email"');
    expect(() => serde.serialize('customers', { id: 'c-2' })).toThrow('schema validation failed: visits: Required property is missing');
  });

  it('checks what a reader will see: a property JSON drops is missing', async () => {
    const { serde } = await prepared();
    expect(() => serde.serialize('customers', { id: 'c-3', visits: undefined })).toThrow('visits: Required property is missing');
  });

  it("checks records read against their writer's schema, unless validateReads is false", async () => {
    const strict = await prepared();
    const invalid = Buffer.concat([writeHeader(1), Buffer.from('{"id":"c-4","visits":-1}')]);
    expect(() => strict.serde.deserialize('customers', invalid)).toThrow('schema validation failed: visits: must be >= 0');
    const lenient = await prepared(customer, false);
    expect(lenient.serde.deserialize('customers', invalid)).toEqual({ id: 'c-4', visits: -1 });
  });

  it('understands draft 2020-12 schemas by their $schema', async () => {
    const { serde } = await prepared({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'array',
      prefixItems: [{ type: 'string' }, { type: 'number' }],
      items: false,
    });
    expect(serde.deserialize('customers', serde.serialize('customers', ['a', 1])!)).toEqual(['a', 1]);
    expect(() => serde.serialize('customers', ['a', 1, 'extra'])).toThrow('schema validation failed: must NOT have more than 2 items');
  });

  it('names the record subject after the schema title', async () => {
    const registry = new SchemaRegistry({ client: new InMemorySchemaRegistry() });
    const { RecordNameStrategy } = await import('../src/index');
    expect(registry.jsonSchema({ schema: customer, subjectNameStrategy: RecordNameStrategy }).subjectOf('customers')).toBe('Customer');
  });
});
