import type { Change } from '../graph/Change';
import type { Serde } from './Serde';

/**
 * Carries a table change through a repartition topic: both sides, each written with the
 * value serde (base64 inside a small JSON envelope) or as JSON when there is none.
 */
export function changeSerde(inner: Serde<unknown> | undefined): Serde<Change<unknown>> {
  const write = (topic: string, value: unknown) => {
    if (value === null) return null;
    return inner ? inner.serialize(topic, value)?.toString('base64') ?? null : value;
  };
  const read = (topic: string, value: unknown) => {
    if (value === null || value === undefined) return null;
    return inner ? inner.deserialize(topic, Buffer.from(value as string, 'base64')) : value;
  };
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
