import { TopologyError } from '../errors';
import type { StreamPartitioner } from '../graph/GraphNode';
import {
  foreignKeyJoinResult,
  foreignTableJoinSubscription,
  primaryValueHasher,
  subscriptionJoinForeign,
  subscriptionReceive,
  subscriptionResponseResolver,
  subscriptionSend,
  type SubscriptionResponse,
} from '../operators/foreignKeyJoin';
import { tableJoinMerge, tableJoinSide, tableJoinValueGetter } from '../operators/tableTableJoin';
import { storeValueGetter } from '../operators/tableValueGetter';
import type { Serde } from '../serdes/Serde';
import { Serdes } from '../serdes/Serdes';
import { keyValueStoreSpec } from '../state/Stores';
import { subscriptionStoreSpec } from '../state/SubscriptionStore';
import { joinOldValues, sourceOldValues } from './OldValues';
import { KTable } from './KTable';
import type { MaterializedOptions } from './options';
import { checkFunction } from './validate';

type Joiner = (left: unknown, right: unknown, key: unknown) => unknown;

/** Inner, left or outer table-table join. */
export type TableJoinKind = 'inner' | 'left' | 'outer';

/**
 * Wires a table-table join as Kafka Streams does (`KTableImpl.doJoin`): each side's updates
 * look up the other side (through its store or its value getter), a merge node forwards
 * the joined changes and materializes them when the join is named. Both inputs must be
 * co-partitioned.
 */
export function joinTables(
  left: KTable<unknown, unknown>,
  right: unknown,
  joiner: unknown,
  kind: TableJoinKind,
  options: MaterializedOptions<unknown, unknown>,
): KTable<unknown, unknown> {
  const operation = kind === 'inner' ? 'KTable.join' : `KTable.${kind}Join`;
  if (!(right instanceof KTable)) throw new TopologyError(`${operation}: the other side must be a KTable`);
  if (right.state.builder !== left.state.builder) throw new TopologyError(`${operation}: both tables must come from the same StreamsBuilder`);
  checkFunction(joiner, operation, 'joiner');
  const user = joiner as Joiner;
  const { builder } = left.state;
  const name = options.name;
  const mergeName = name ?? builder.newName('KTABLE-MERGE-');
  builder.requireCopartition([left.state.node, right.state.node]);
  // The kept side of a left or outer join sends old values (Kafka Streams' doJoin).
  if (kind !== 'inner') left.oldValues.enable(true);
  if (kind === 'outer') right.oldValues.enable(true);
  const joinThisName = name ? `${name}-join-this` : builder.newName('KTABLE-JOINTHIS-');
  const joinOtherName = name ? `${name}-join-other` : builder.newName('KTABLE-JOINOTHER-');

  const leftLookup = left.valueGetterSupplier();
  const rightLookup = right.valueGetterSupplier();
  // Old values of the result: when downstream asks for them, both inputs send theirs too.
  const oldValues = joinOldValues(left.oldValues, right.oldValues);
  const sendOldValues = () => oldValues.enabled;
  const joinThis = builder.addProcessor(left.state.node, joinThisName, tableJoinSide(kind, rightLookup, user, sendOldValues), [...rightLookup.storeNames]);
  const joinOther = builder.addProcessor(
    right.state.node,
    joinOtherName,
    tableJoinSide(kind === 'left' ? 'right' : kind, leftLookup, (thisValue, otherValue, key) => user(otherValue, thisValue, key), sendOldValues),
    [...leftLookup.storeNames],
  );
  const keySerde = (options.keySerde ?? left.state.keySerde) as Serde<unknown> | undefined;
  const valueSerde = options.valueSerde as Serde<unknown> | undefined;
  if (name) builder.addStore(keyValueStoreSpec(name, { keySerde, valueSerde, logging: options.store?.logging ?? true, type: options.store?.type }));
  const merge = builder.addProcessor([joinThis, joinOther], mergeName, tableJoinMerge(name, sendOldValues), name ? [name] : []);
  return new KTable({ builder, node: merge, keySerde, valueSerde }, name, oldValues, () => tableJoinValueGetter(kind, leftLookup, rightLookup, user));
}

/**
 * Wires a foreign-key table-table join as Kafka Streams does (`KTableImpl.doJoinOnForeignKey`),
 * through two internal topics: `<name>-subscription-registration-topic`, keyed by foreign key
 * and co-partitioned with the foreign table, and `<name>-subscription-response-topic`, sent
 * back to the partition of the primary row and co-partitioned with the primary table.
 * A row that changes its foreign key has its old result replaced, or deleted when the new
 * key has no match (inner join).
 */
export function joinTablesOnForeignKey(
  primary: KTable<unknown, unknown>,
  foreign: unknown,
  foreignKeyExtractor: unknown,
  joiner: unknown,
  leftJoin: boolean,
  options: MaterializedOptions<unknown, unknown>,
): KTable<unknown, unknown> {
  const operation = leftJoin ? 'KTable.leftJoin' : 'KTable.join';
  if (!(foreign instanceof KTable)) throw new TopologyError(`${operation}: the other side must be a KTable`);
  if (foreign.state.builder !== primary.state.builder) throw new TopologyError(`${operation}: both tables must come from the same StreamsBuilder`);
  checkFunction(foreignKeyExtractor, operation, 'foreignKeyExtractor');
  checkFunction(joiner, operation, 'joiner');
  const { builder } = primary.state;
  const named = options.name;
  const nameOf = (suffix: string, prefix: string) => (named ? `${named}-${suffix}` : builder.newName(prefix));

  // Old values tell which foreign key a row left (primary) and let unchanged rows be told apart (foreign).
  foreign.oldValues.enable(true);
  primary.oldValues.enable(true);

  // Names in Kafka Streams' order, so generated names match its own.
  const subscriptionTopic = `${nameOf('subscription-registration', 'KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-')}-topic`;
  const sendName = nameOf('subscription-registration-processor', 'KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-');
  const subscriptionSinkName = nameOf('subscription-registration-sink', 'KTABLE-SINK-');
  const subscriptionSourceName = nameOf('subscription-registration-source', 'KTABLE-SOURCE-');
  const subscriptionStore = nameOf('subscription-store', 'KTABLE-FK-JOIN-SUBSCRIPTION-STATE-STORE-');
  const receiveName = nameOf('subscription-receive', 'KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-');
  const joinForeignName = nameOf('subscription-join-foreign', 'KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-');
  const foreignJoinName = nameOf('foreign-join-subscription', 'KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-');
  const responseTopic = `${nameOf('subscription-response', 'KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-')}-topic`;
  const responseSinkName = nameOf('subscription-response-sink', 'KTABLE-SINK-');
  const responseSourceName = nameOf('subscription-response-source', 'KTABLE-SOURCE-');
  const resolverName = nameOf('subscription-response-resolver', 'KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-RESOLVER-PROCESSOR-');
  const resultName = nameOf('result', 'KTABLE-FK-JOIN-OUTPUT-');
  // Kafka Streams names the result store even when it does not materialize it.
  const resultStore = named ?? builder.newStoreName('KTABLE-FK-JOIN-OUTPUT-');

  const hashOf = primaryValueHasher(primary.state.valueSerde ?? Serdes.json(), `${subscriptionTopic}-vh`);
  const foreignKeySerde = foreign.state.keySerde;
  const primaryKeySerde = primary.state.keySerde;
  const logging = options.store?.logging ?? true;

  const send = builder.addProcessor(primary.state.node, sendName, subscriptionSend(foreignKeyExtractor as (value: unknown, key: unknown) => unknown, hashOf, leftJoin));
  builder.addSink(send, { name: subscriptionSinkName, topic: subscriptionTopic, internal: true, keySerde: foreignKeySerde });
  const subscriptionSource = builder.addSource({ name: subscriptionSourceName, topics: [subscriptionTopic], internal: true, keySerde: foreignKeySerde });
  builder.requireCopartition([foreign.state.node, subscriptionSource]);
  builder.addStore(subscriptionStoreSpec(subscriptionStore, { logging }));
  const receive = builder.addProcessor(subscriptionSource, receiveName, subscriptionReceive(subscriptionStore), [subscriptionStore]);
  const foreignLookup = foreign.valueGetterSupplier();
  const joinForeign = builder.addProcessor(receive, joinForeignName, subscriptionJoinForeign(foreignLookup), [...foreignLookup.storeNames]);
  const foreignJoin = builder.addProcessor(foreign.state.node, foreignJoinName, foreignTableJoinSubscription(subscriptionStore), [subscriptionStore]);
  const toPrimaryPartition: StreamPartitioner = (_topic, _key, value) => (value as SubscriptionResponse).primaryPartition;
  builder.addSink([joinForeign, foreignJoin], { name: responseSinkName, topic: responseTopic, internal: true, keySerde: primaryKeySerde, partitioner: toPrimaryPartition });
  const responseSource = builder.addSource({ name: responseSourceName, topics: [responseTopic], internal: true, keySerde: primaryKeySerde });
  builder.requireCopartition([primary.state.node, responseSource]);
  const primaryLookup = primary.valueGetterSupplier();
  const resolver = builder.addProcessor(
    responseSource,
    resolverName,
    subscriptionResponseResolver(primaryLookup, hashOf, joiner as Joiner, leftJoin),
    [...primaryLookup.storeNames],
  );

  const valueSerde = options.valueSerde as Serde<unknown> | undefined;
  const materialized = { store: named };
  const result = builder.addProcessor(resolver, resultName, foreignKeyJoinResult(() => materialized.store), named ? [named] : []);
  // Unnamed, the result gets its store only if something needs it (old values, a lookup), as in Kafka Streams.
  const materialize = (): string => {
    if (materialized.store === undefined) {
      materialized.store = resultStore;
      builder.addStore(keyValueStoreSpec(resultStore, { keySerde: primaryKeySerde, valueSerde, logging, type: options.store?.type }));
      builder.connectStore(result, resultStore);
    }
    return materialized.store;
  };
  if (named) builder.addStore(keyValueStoreSpec(named, { keySerde: primaryKeySerde, valueSerde, logging, type: options.store?.type }));
  // The result is a source table to Kafka Streams (its KTableSource): materialized when named, looked up or asked for old values.
  const oldValues = sourceOldValues(named !== undefined, () => void materialize());
  return new KTable({ builder, node: result, keySerde: primaryKeySerde, valueSerde }, named, oldValues, () => storeValueGetter(materialize()));
}
