import { StreamsError } from '../errors';
import type { OperatorFactory } from '../graph/GraphNode';
import { processRecords, type ProcessorSupplier } from './process';

/**
 * The node behind `StreamsBuilder.addGlobalStore()` (Kafka Streams' global state update
 * processor): the user's processor, the only writer of the global store, receives every
 * record of the global topic, from every partition, in the global task. As in Kafka
 * Streams it cannot schedule punctuators, and it has no children to forward to.
 */
export function updateGlobalStore(supplier: ProcessorSupplier<unknown, unknown, never, never>): OperatorFactory {
  return processRecords(() => {
    const processor = supplier();
    return {
      init(context) {
        processor.init?.({
          ...context,
          schedule: () => {
            throw new StreamsError('schedule() is not supported in the processor of a global store (as in Kafka Streams): it runs in the global task, outside stream time');
          },
        });
      },
      process: (record) => processor.process(record),
      close: () => processor.close?.(),
    };
  });
}
