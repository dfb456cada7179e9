// A real Schema Registry for integration tests: SCHEMA_REGISTRY_URL (set by `npm test`, which
// starts tools/schema-registry next to the broker), else one started here for the test file.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from './tools';

const execFileAsync = promisify(execFile);
const registryDir = join(repoRoot, 'tools', 'schema-registry');

export interface SchemaRegistryUnderTest extends AsyncDisposable {
  /** The Confluent-compatible API's base URL, e.g. `http://127.0.0.1:8081/apis/ccompat/v7`. */
  readonly url: string;
  /** True when this file started the registry (and stops it on dispose). */
  readonly startedHere: boolean;
}

/**
 * The registry named by SCHEMA_REGISTRY_URL, or a new Apicurio Registry started with
 * tools/schema-registry/start.sh in its own run directory (Maven fetches it on first use),
 * stopped again by `await using` / `[Symbol.asyncDispose]()`.
 */
export async function schemaRegistry(): Promise<SchemaRegistryUnderTest> {
  const given = process.env.SCHEMA_REGISTRY_URL;
  if (given) return { url: given.replace(/\/+$/, ''), startedHere: false, [Symbol.asyncDispose]: async () => {} };
  const runDir = join(repoRoot, '.tributary', `schema-registry-${process.pid}`);
  const env = { ...process.env, SCHEMA_REGISTRY_RUN_DIR: runDir };
  try {
    await execFileAsync('bash', [join(registryDir, 'start.sh'), '--port', 'auto'], { env, timeout: 600_000 });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`Could not start a Schema Registry with tools/schema-registry/start.sh: ${stderr || (error as Error).message}`);
  }
  const url = (await readFile(join(runDir, 'url'), 'utf8')).trim();
  return {
    url,
    startedHere: true,
    [Symbol.asyncDispose]: async () => {
      await execFileAsync('bash', [join(registryDir, 'stop.sh')], { env, timeout: 60_000 });
    },
  };
}

/**
 * One request to the registry's REST API with plain fetch, for tests to set up subjects and to
 * check what our serdes did independently of their client. Resolves with the status and JSON.
 */
export async function registryRequest<T = unknown>(url: string, method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<{ status: number; json: T }> {
  const response = await fetch(url + path, {
    method,
    headers: { 'content-type': 'application/vnd.schemaregistry.v1+json', accept: 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: (text ? JSON.parse(text) : undefined) as T };
}
