import type { TopologyBuilder } from '../graph/TopologyBuilder';

/**
 * Kafka Streams' `count(Materialized)` on a grouped stream and on time and session windows
 * (not sliding windows, not grouped tables) draws one extra store name when the
 * `Materialized` names no store ("we used to burn a topology name here, so we have to keep
 * doing it for compatibility"). `count(options)` with options but no `name` is that call
 * (`Materialized.with(keySerde, valueSerde)` and friends), so it draws one too, and every
 * later generated name matches Kafka Streams'. A plain `count()` draws none, as in Kafka.
 */
export function drawCountStoreName(builder: TopologyBuilder, options: object & { readonly name?: string | undefined }): void {
  if (options.name !== undefined) return;
  if (Object.values(options).some((value) => value !== undefined)) builder.newStoreName('KSTREAM-AGGREGATE-');
}
