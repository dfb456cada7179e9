import { StreamsError } from '@tributary/core';

/**
 * A Schema Registry request that failed, or a registry answer this package cannot use. The
 * message names the registry and, where there is one, the subject. `retriable` is true for
 * failures that may pass on a later try: the registry unreachable, a timeout, a 5xx answer.
 */
export class SchemaRegistryError extends StreamsError {
  /** The registry's base URL. */
  readonly registryUrl: string;
  /** The HTTP status, when the registry answered. */
  readonly status: number | undefined;
  /** The registry's own error code (`error_code`, e.g. `40401` subject not found), when it gave one. */
  readonly errorCode: number | undefined;
  readonly subject: string | undefined;

  constructor(
    message: string,
    details: { registryUrl: string; status?: number; errorCode?: number; subject?: string; retriable?: boolean; cause?: unknown },
  ) {
    super(message, { cause: details.cause, retriable: details.retriable ?? false });
    this.registryUrl = details.registryUrl;
    this.status = details.status;
    this.errorCode = details.errorCode;
    this.subject = details.subject;
  }
}

/**
 * The registry refused a schema under a subject because it breaks the subject's compatibility
 * rule (HTTP 409). `compatibility` is the level in force for the subject (`BACKWARD`,
 * `FULL_TRANSITIVE`...), as the registry reports it.
 */
export class IncompatibleSchemaError extends SchemaRegistryError {
  readonly compatibility: string;
  /** The registry's explanation, e.g. which field changed type. */
  readonly registryMessage: string;

  constructor(details: { registryUrl: string; subject: string; compatibility: string; registryMessage: string; errorCode?: number }) {
    super(
      `Schema Registry ${details.registryUrl} refused the schema for subject '${details.subject}': it is not compatible with the subject's earlier versions under compatibility level ${details.compatibility}. The registry says: ${details.registryMessage}`,
      { registryUrl: details.registryUrl, status: 409, errorCode: details.errorCode ?? 409, subject: details.subject },
    );
    this.compatibility = details.compatibility;
    this.registryMessage = details.registryMessage;
  }
}

/**
 * The serde's schema is not registered under its subject (or the subject does not exist), and
 * the serde may not register it (`autoRegister` is off, the default): register the schema
 * first, through your schema pipeline, or turn `autoRegister` on.
 */
export class SchemaNotRegisteredError extends SchemaRegistryError {
  constructor(details: { registryUrl: string; subject: string; errorCode?: number; registryMessage: string; topic?: string; useLatestVersion?: boolean }) {
    const forTopic = details.topic === undefined ? '' : ` (for topic '${details.topic}')`;
    const what = details.useLatestVersion
      ? `subject '${details.subject}'${forTopic} has no version in Schema Registry ${details.registryUrl}, and useLatestVersion writes with its latest version`
      : `the schema is not registered under subject '${details.subject}'${forTopic} in Schema Registry ${details.registryUrl}, and autoRegister is off`;
    super(`${what}: register the schema under that subject first, or create the serde with autoRegister: true. The registry says: ${details.registryMessage}`, {
      registryUrl: details.registryUrl,
      status: 404,
      errorCode: details.errorCode,
      subject: details.subject,
    });
  }
}
