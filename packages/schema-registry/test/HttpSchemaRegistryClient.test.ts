import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpSchemaRegistryClient, IncompatibleSchemaError, SchemaRegistryError } from '../src/index';

// The HTTP side of the client against a small local server: headers, retries and error mapping.
// The requests themselves are checked against a real registry in test/kafka/schemaRegistry.test.ts.

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

type Answer = { status: number; body?: unknown };
let server: Server | undefined;

async function serve(answer: (seen: Seen, index: number) => Answer): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const request = { method: req.method!, url: req.url!, headers: req.headers, body };
      seen.push(request);
      const { status, body: reply } = answer(request, seen.length - 1);
      res.writeHead(status, { 'content-type': 'application/vnd.schemaregistry.v1+json' });
      res.end(reply === undefined ? '' : JSON.stringify(reply));
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}/apis/ccompat/v7`, seen };
}

/** Closes the server and the connections fetch keeps alive to it. */
async function stop(): Promise<void> {
  const closing = server;
  server = undefined;
  if (!closing) return;
  closing.closeAllConnections();
  await new Promise((resolve) => closing.close(resolve));
}

afterEach(stop);

describe('HttpSchemaRegistryClient', () => {
  it("sends basic auth from the options, and Confluent's content type with a schema", async () => {
    const { url, seen } = await serve(() => ({ status: 200, body: { id: 7 } }));
    const client = new HttpSchemaRegistryClient({ url: `${url}/`, auth: { username: 'svc', password: 's3cret' } });
    expect(await client.register('orders-value', { schema: '{"type":"string"}', schemaType: 'JSON' })).toBe(7);
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/apis/ccompat/v7/subjects/orders-value/versions' });
    expect(seen[0]!.headers.authorization).toBe(`Basic ${Buffer.from('svc:s3cret').toString('base64')}`);
    expect(seen[0]!.headers['content-type']).toBe('application/vnd.schemaregistry.v1+json');
    expect(JSON.parse(seen[0]!.body)).toEqual({ schema: '{"type":"string"}', schemaType: 'JSON' });
  });

  it('takes credentials from the URL, which fetch would refuse, and leaves them out of messages', async () => {
    const { url, seen } = await serve(() => ({ status: 200, body: { schema: '"string"' } }));
    const client = new HttpSchemaRegistryClient({ url: url.replace('http://', 'http://svc:p%40ss@') });
    expect(client.url).toBe(url);
    expect(await client.schemaById(1)).toEqual({ schema: '"string"', schemaType: 'AVRO', references: [] });
    expect(seen[0]!.headers.authorization).toBe(`Basic ${Buffer.from('svc:p@ss').toString('base64')}`);
  });

  it('tries again after a 5xx answer, and gives up after `retries` more tries', async () => {
    const flaky = await serve((_seen, index) => (index < 2 ? { status: 503, body: { error_code: 50003, message: 'busy' } } : { status: 200, body: [1, 2] }));
    expect(await new HttpSchemaRegistryClient({ url: flaky.url, retries: 2 }).versions('orders-value')).toEqual([1, 2]);
    expect(flaky.seen).toHaveLength(3);
    await stop();
    const down = await serve(() => ({ status: 503, body: { error_code: 50003, message: 'busy' } }));
    const failure = new HttpSchemaRegistryClient({ url: down.url, retries: 1 }).versions('orders-value');
    await expect(failure).rejects.toThrow(`Schema Registry ${down.url} failed listing the versions of subject 'orders-value': busy (HTTP 503, error code 50003)`);
    await expect(failure).rejects.toMatchObject({ retriable: true, status: 503, errorCode: 50003, subject: 'orders-value' });
    expect(down.seen).toHaveLength(2);
  });

  it('does not try a 4xx answer again, and keeps its error code', async () => {
    const { url, seen } = await serve(() => ({ status: 404, body: { error_code: 40401, message: "Subject 'x-value' not found." } }));
    const lookup = new HttpSchemaRegistryClient({ url }).lookup('x-value', { schema: '"string"', schemaType: 'AVRO' });
    await expect(lookup).rejects.toBeInstanceOf(SchemaRegistryError);
    await expect(lookup).rejects.toMatchObject({ status: 404, errorCode: 40401, retriable: false });
    expect(seen).toHaveLength(1);
  });

  it("turns a 409 on registration into an IncompatibleSchemaError with the subject's compatibility level", async () => {
    const { url } = await serve((seen) =>
      seen.url.startsWith('/apis/ccompat/v7/config/') ? { status: 200, body: { compatibilityLevel: 'FULL_TRANSITIVE' } } : { status: 409, body: { error_code: 409, message: 'field cents changed type' } },
    );
    const registration = new HttpSchemaRegistryClient({ url }).register('orders-value', { schema: '"string"', schemaType: 'AVRO' });
    await expect(registration).rejects.toBeInstanceOf(IncompatibleSchemaError);
    await expect(registration).rejects.toThrow(
      `Schema Registry ${url} refused the schema for subject 'orders-value': it is not compatible with the subject's earlier versions under compatibility level FULL_TRANSITIVE. The registry says: field cents changed type`,
    );
  });

  it('says the registry could not be reached, and why', async () => {
    const { url } = await serve(() => ({ status: 200 }));
    await stop();
    const fetching = new HttpSchemaRegistryClient({ url, retries: 0 }).schemaById(3);
    await expect(fetching).rejects.toThrow(`Schema Registry ${url} could not be reached fetching schema id 3: ECONNREFUSED`);
    await expect(fetching).rejects.toMatchObject({ retriable: true });
  });
});
