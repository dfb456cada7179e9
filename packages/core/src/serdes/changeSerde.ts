import type { Change } from '../graph/Change';
import type { Serde } from './Serde';

/**
 * How a value sits inside a JSON envelope (a change, a suppression buffer entry): written
 * with `inner` as base64 when there is a serde, as the JSON value itself when there is none.
 * `null` and `undefined` are `null`.
 */
export function envelopedValue(inner: Serde<unknown> | undefined): {
  write(topic: string, value: unknown): unknown;
  read(topic: string, value: unknown): unknown;
} {
  return {
    write: (topic, value) => {
      if (value === null || value === undefined) return null;
      return inner ? (inner.serialize(topic, value)?.toString('base64') ?? null) : value;
    },
    read: (topic, value) => {
      if (value === null || value === undefined) return null;
      return inner ? inner.deserialize(topic, Buffer.from(value as string, 'base64')) : value;
    },
  };
}

/** Carries a table change through a repartition topic: both sides in a small JSON envelope. */
export function changeSerde(inner: Serde<unknown> | undefined): Serde<Change<unknown>> {
  const { write, read } = envelopedValue(inner);
  return {
    name: `change(${inner?.name ?? 'json'})`,
    serialize: (topic, change) => Buffer.from(JSON.stringify({ n: write(topic, change.newValue), o: write(topic, change.oldValue) })),
    deserialize: (topic, data) => {
      if (data === null) return { newValue: null, oldValue: null };
      const envelope = JSON.parse(data.toString('utf8')) as { n: unknown; o: unknown };
      return { newValue: read(topic, envelope.n), oldValue: read(topic, envelope.o) };
    },
  };
}
