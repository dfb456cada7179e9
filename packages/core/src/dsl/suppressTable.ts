import { TopologyError } from '../errors';
import { suppressRecords } from '../operators/suppress';
import { suppressionBufferSpec } from '../state/suppressionBufferSpec';
import { Suppressed } from '../windows/Suppressed';
import { findWindowGrace } from '../windows/windowGrace';
import { KTable } from './KTable';
import { suppressOldValues } from './OldValues';
import { checkNotVersioned } from './versionedTables';

/** `KTable.suppress`: adds the buffer store and the suppression node after `table`. */
export function suppressTable<K, V>(table: KTable<K, V>, suppressed: Suppressed<K>): KTable<K, V> {
  if (!(suppressed instanceof Suppressed)) {
    throw new TopologyError('suppress() takes Suppressed.untilWindowCloses(...) or Suppressed.untilTimeLimit(...)');
  }
  const { builder, node: parent, keySerde, valueSerde } = table.state;
  checkNotVersioned(parent, 'suppress()');
  // The buffer keeps the prior value of each key, so the parent sends old values (Kafka Streams' KTableSuppressProcessorSupplier).
  table.oldValues.enable(true);
  const name = suppressed.name ?? builder.newName('KTABLE-SUPPRESS-');
  const storeName = suppressed.name ? `${suppressed.name}-store` : builder.newStoreName('KTABLE-SUPPRESS-');
  const finalResults = suppressed.kind === 'untilWindowCloses';
  const suppressMs = finalResults ? findWindowGrace(parent) : suppressed.timeToWaitMs;
  const { bufferConfig } = suppressed;
  builder.addStore(
    suppressionBufferSpec(storeName, { keySerde, valueSerde, logging: bufferConfig.logging, measureBytes: bufferConfig.maxBytes !== Infinity }),
  );
  const node = builder.addProcessor(
    parent,
    name,
    suppressRecords({
      storeName,
      bufferTime: finalResults ? 'windowEnd' : 'recordTime',
      suppressMs,
      maxRecords: bufferConfig.maxRecords,
      maxBytes: bufferConfig.maxBytes,
      whenFull: bufferConfig.whenFull,
      dropTombstones: finalResults,
    }),
    [storeName],
  );
  return new KTable<K, V>({ builder, node, keySerde, valueSerde }, undefined, suppressOldValues(table.oldValues));
}
