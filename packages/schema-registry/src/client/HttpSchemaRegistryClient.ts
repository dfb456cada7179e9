import { IncompatibleSchemaError, SchemaRegistryError } from '../errors';
import type { Schema, SchemaRegistryClient, SchemaType, SubjectVersion } from './SchemaRegistryClient';

export interface HttpSchemaRegistryClientOptions {
  /**
   * The registry's base URL, e.g. `http://localhost:8081` for Confluent Schema Registry or
   * `http://localhost:8080/apis/ccompat/v7` for Apicurio Registry's Confluent-compatible API.
   * Credentials in the URL (`http://user:secret@host`) are used as basic auth.
   */
  url: string;
  /** Basic auth (Confluent's `basic.auth.user.info`). Defaults to none. */
  auth?: { username: string; password: string };
  /** Extra headers on every request, e.g. `{ authorization: 'Bearer ...' }`. Defaults to none. */
  headers?: Record<string, string>;
  /** How long one request may take before it is aborted. Defaults to `10000` ms. */
  requestTimeoutMs?: number;
  /**
   * How many times a request is tried again when the registry is unreachable, times out or
   * answers 5xx or 429, waiting 250 ms and doubling. Defaults to `2`.
   */
  retries?: number;
  /** The `fetch` to use. Defaults to the global `fetch` of Node 20+. */
  fetch?: typeof fetch;
}

const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';
const ACCEPT = 'application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json; qs=0.9, application/json; qs=0.5';

interface RegistryAnswer {
  id?: number;
  subject?: string;
  version?: number;
  schema?: string;
  schemaType?: SchemaType;
  references?: Schema['references'];
  compatibilityLevel?: string;
  compatibility?: string;
  error_code?: number;
  message?: string;
}

/**
 * A client of Confluent's Schema Registry REST API on Node's `fetch`: the few requests the
 * serdes need, no dependency. Works with Confluent Schema Registry and the registries that
 * serve its API (Apicurio Registry's `/apis/ccompat/v7`, Redpanda, Karapace).
 */
export class HttpSchemaRegistryClient implements SchemaRegistryClient {
  readonly url: string;
  private readonly headers: Record<string, string>;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly fetch: typeof fetch;

  constructor(options: HttpSchemaRegistryClientOptions) {
    const parsed = new URL(options.url);
    let auth = options.auth;
    if (parsed.username) {
      // fetch refuses URLs with credentials: move them to the header.
      auth ??= { username: decodeURIComponent(parsed.username), password: decodeURIComponent(parsed.password) };
      parsed.username = '';
      parsed.password = '';
    }
    this.url = parsed.toString().replace(/\/+$/, '');
    this.headers = { accept: ACCEPT, ...options.headers };
    if (auth) this.headers.authorization = `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
    this.timeoutMs = options.requestTimeoutMs ?? 10_000;
    this.retries = options.retries ?? 2;
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  async schemaById(id: number): Promise<Schema> {
    const answer = await this.request('GET', `/schemas/ids/${id}`, `fetching schema id ${id}`);
    return toSchema(answer);
  }

  async lookup(subject: string, schema: Schema): Promise<SubjectVersion> {
    const answer = await this.request('POST', `/subjects/${encodeURIComponent(subject)}`, `looking up the schema under subject '${subject}'`, subject, toBody(schema));
    return toSubjectVersion(answer, subject);
  }

  async register(subject: string, schema: Schema): Promise<number> {
    try {
      const answer = await this.request('POST', `/subjects/${encodeURIComponent(subject)}/versions`, `registering a schema under subject '${subject}'`, subject, toBody(schema));
      return requireNumber(answer.id, 'id');
    } catch (error) {
      if (!(error instanceof SchemaRegistryError) || error.status !== 409) throw error;
      const registryMessage = (error.cause as RegistryAnswer | undefined)?.message ?? error.message;
      const compatibility = await this.compatibility(subject).catch((e: unknown) => `unknown (asking the registry failed: ${e instanceof Error ? e.message : String(e)})`);
      throw new IncompatibleSchemaError({ registryUrl: this.url, subject, compatibility, registryMessage, errorCode: error.errorCode });
    }
  }

  async versions(subject: string): Promise<number[]> {
    const answer = await this.request('GET', `/subjects/${encodeURIComponent(subject)}/versions`, `listing the versions of subject '${subject}'`, subject);
    if (!Array.isArray(answer) || !answer.every((v) => typeof v === 'number')) throw this.unexpected(`listing the versions of subject '${subject}'`, answer);
    return answer as number[];
  }

  async version(subject: string, version: number | 'latest'): Promise<SubjectVersion> {
    const answer = await this.request('GET', `/subjects/${encodeURIComponent(subject)}/versions/${version}`, `fetching version ${version} of subject '${subject}'`, subject);
    return toSubjectVersion(answer, subject);
  }

  async compatibility(subject: string): Promise<string> {
    try {
      const own = await this.request('GET', `/config/${encodeURIComponent(subject)}?defaultToGlobal=true`, `reading the compatibility of subject '${subject}'`, subject);
      const level = own.compatibilityLevel ?? own.compatibility;
      if (level) return level;
    } catch (error) {
      if (!(error instanceof SchemaRegistryError) || error.status !== 404) throw error;
    }
    const global = await this.request('GET', '/config', 'reading the default compatibility');
    return global.compatibilityLevel ?? global.compatibility ?? 'unknown';
  }

  /** One request, tried again on failures that may pass; the answer's JSON, or a SchemaRegistryError. */
  private async request(method: 'GET' | 'POST', path: string, what: string, subject?: string, body?: unknown): Promise<RegistryAnswer> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.once(method, path, what, subject, body);
      } catch (error) {
        if (!(error instanceof SchemaRegistryError) || !error.retriable || attempt >= this.retries) throw error;
        await new Promise((resolve) => setTimeout(resolve, 250 * 2 ** attempt));
      }
    }
  }

  private async once(method: 'GET' | 'POST', path: string, what: string, subject: string | undefined, body: unknown): Promise<RegistryAnswer> {
    const url = this.url + path;
    let response: Response;
    try {
      response = await this.fetch(url, {
        method,
        headers: body === undefined ? this.headers : { ...this.headers, 'content-type': CONTENT_TYPE },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const reason = error instanceof Error && error.name === 'TimeoutError' ? `no answer within ${this.timeoutMs} ms` : describeFetchFailure(error);
      throw new SchemaRegistryError(`Schema Registry ${this.url} could not be reached ${what}: ${reason}`, { registryUrl: this.url, subject, retriable: true, cause: error });
    }
    const text = await response.text();
    let answer: RegistryAnswer | undefined;
    try {
      answer = text ? (JSON.parse(text) as RegistryAnswer) : undefined;
    } catch {
      answer = undefined;
    }
    if (response.ok && answer !== undefined) return answer;
    const registryMessage = answer?.message ?? (text.slice(0, 300) || response.statusText);
    const status = response.status;
    const retriable = status >= 500 || status === 429;
    const errorCode = typeof answer?.error_code === 'number' ? answer.error_code : undefined;
    const code = errorCode === undefined ? `HTTP ${status}` : `HTTP ${status}, error code ${errorCode}`;
    const reason = response.ok ? `the answer is not JSON: ${registryMessage}` : `${registryMessage} (${code})`;
    throw new SchemaRegistryError(`Schema Registry ${this.url} failed ${what}: ${reason}`, {
      registryUrl: this.url,
      status,
      errorCode,
      subject,
      retriable,
      cause: answer ?? text,
    });
  }

  private unexpected(what: string, answer: unknown): SchemaRegistryError {
    return new SchemaRegistryError(`Schema Registry ${this.url} gave an unexpected answer ${what}: ${JSON.stringify(answer).slice(0, 300)}`, { registryUrl: this.url });
  }
}

function toBody(schema: Schema): Record<string, unknown> {
  // Avro is the default: older registries do not know the schemaType field.
  const body: Record<string, unknown> = { schema: schema.schema };
  if (schema.schemaType !== 'AVRO') body.schemaType = schema.schemaType;
  if (schema.references?.length) body.references = schema.references;
  return body;
}

function toSchema(answer: RegistryAnswer): Schema {
  if (typeof answer.schema !== 'string') throw new TypeError(`the registry's answer has no schema text: ${JSON.stringify(answer).slice(0, 300)}`);
  return { schema: answer.schema, schemaType: answer.schemaType ?? 'AVRO', references: answer.references ?? [] };
}

function toSubjectVersion(answer: RegistryAnswer, subject: string): SubjectVersion {
  return { ...toSchema(answer), subject: answer.subject ?? subject, version: requireNumber(answer.version, 'version'), id: requireNumber(answer.id, 'id') };
}

function requireNumber(value: unknown, field: string): number {
  if (typeof value !== 'number') throw new TypeError(`the registry's answer has no ${field}`);
  return value;
}

/** Node's fetch hides the reason (ECONNREFUSED...) in `cause`. */
function describeFetchFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause as { code?: string; message?: string } | undefined;
  return cause?.code ? `${cause.code}${cause.message ? ` (${cause.message})` : ''}` : error.message;
}
