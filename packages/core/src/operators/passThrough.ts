import type { OperatorFactory } from '../graph/GraphNode';
import { recordOperator } from './operatorInternals';

/** Forwards every record: the node `merge()` adds over its inputs. */
export function passThrough(): OperatorFactory {
  return recordOperator((_context, emit) => emit);
}

/**
 * Drops records with a `null` key, counted as `null-key`: Kafka Streams' filter before a
 * repartition topic. When `relaxed()` says so (a left or outer join downstream wants them,
 * Kafka Streams 3.7+), it lets them through instead.
 */
export function dropNullKeys(relaxed: () => boolean = () => false): OperatorFactory {
  return recordOperator((context, emit) => {
    if (relaxed()) return emit;
    return (record) => {
      if (record.key === null || record.key === undefined) context.recordDropped('null-key', record);
      else emit(record);
    };
  });
}
