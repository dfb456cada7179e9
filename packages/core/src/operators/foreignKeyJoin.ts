import { createHash } from 'node:crypto';
import { change, type Change } from '../graph/Change';
import type { AnyRecord, OperatorFactory } from '../graph/GraphNode';
import type { Serde } from '../serdes/Serde';
import type { KeyValueStore, ValueAndTimestamp } from '../state/KeyValueStore';
import { storeKey } from '../state/storeKey';
import type { Subscription, SubscriptionInstruction, SubscriptionStore } from '../state/SubscriptionStore';
import { recordOperator, withKeyValue, withValue } from './operatorInternals';
import type { TableValueGetterSupplier } from './tableValueGetter';

/*
 * A foreign-key table-table join, as Kafka Streams runs it over two internal topics:
 *
 *   primary table --subscriptionSend--> <name>-subscription-registration-topic (keyed by foreign key)
 *     --subscriptionReceive (subscription store)--> subscriptionJoinForeign (reads the foreign table)
 *   foreign table --foreignTableJoinSubscription (scans the subscription store)
 *     both --> <name>-subscription-response-topic (to the primary row's partition)
 *     --subscriptionResponseResolver (reads the primary table)--> foreignKeyJoinResult
 *
 * So the join holds when the foreign key lands on another partition than the primary key.
 */

/** What the foreign side sends back to a primary row (Kafka Streams' `SubscriptionResponseWrapper`). */
export interface SubscriptionResponse {
  readonly hash: string | null;
  readonly foreignValue: unknown;
  readonly primaryPartition: number;
}

/** A record key on the foreign side: which primary row subscribes to which foreign key. */
export interface CombinedKey {
  readonly foreignKey: unknown;
  readonly primaryKey: unknown;
}

/**
 * Hashes a primary value as its serde writes it, so a response computed for an older value
 * of the row can be recognised and dropped.
 */
export function primaryValueHasher(valueSerde: Serde<unknown>, topic: string): (value: unknown) => string | null {
  return (value) => {
    if (value === null || value === undefined) return null;
    const bytes = valueSerde.serialize(topic, value);
    const data = Buffer.isBuffer(bytes) ? bytes : Buffer.from(JSON.stringify(bytes) ?? 'null');
    return createHash('md5').update(data).digest('base64');
  };
}

const isNull = (value: unknown) => value === null || value === undefined;

/**
 * Step 1, on the primary table: turns each change of a row into subscriptions keyed by
 * foreign key: unsubscribe from the old foreign key when it changed, subscribe to the
 * new one. Rows whose foreign key is `null` do not join (an inner join drops them; a left
 * join still sends them, so the row is emitted with a `null` foreign value).
 */
export function subscriptionSend(
  foreignKeyOf: (value: unknown, key: unknown) => unknown,
  hashOf: (value: unknown) => string | null,
  leftJoin: boolean,
): OperatorFactory {
  return recordOperator((context, emit) => {
    // The hash of the record's new value, computed once and only if a subscription is sent.
    let hash: string | null | undefined;
    const send = (record: AnyRecord, foreignKey: unknown, instruction: SubscriptionInstruction) => {
      if (hash === undefined) hash = hashOf((record.value as Change<unknown>).newValue);
      const subscription: Subscription = { hash, instruction, primaryKey: record.key, primaryPartition: context.partition };
      emit(withKeyValue(record, foreignKey ?? null, subscription));
    };
    const skip = (record: AnyRecord) => context.recordDropped('null-foreign-key', record);
    return (record) => {
      hash = undefined;
      const { newValue, oldValue, isLatest } = record.value as Change<unknown>;
      // A versioned table's out-of-order update changes its history, not the join (KIP-914).
      if (isLatest === false) return context.recordDropped('out-of-order', record);
      const newForeignKey = isNull(newValue) ? null : foreignKeyOf(newValue, record.key);
      if (leftJoin) {
        if (!isNull(oldValue)) {
          const oldForeignKey = foreignKeyOf(oldValue, record.key);
          // Leave the old foreign key quietly: the answer from the new one replaces the result.
          if (!isNull(oldForeignKey) && storeKey(newForeignKey) !== storeKey(oldForeignKey)) {
            send(record, oldForeignKey, 'delete-no-propagate');
          }
          send(record, newForeignKey, 'propagate-null-if-absent');
        } else if (!isNull(newValue)) {
          send(record, newForeignKey, 'propagate-null-if-absent');
        }
        return;
      }
      // Kafka Streams' SubscriptionSendProcessorSupplier.defaultJoinInstructions.
      if (!isNull(oldValue)) {
        const oldForeignKey = foreignKeyOf(oldValue, record.key);
        if (isNull(oldForeignKey) && isNull(newForeignKey)) return skip(record);
        // From a null foreign key (no result yet) to one: a result only if it has a match.
        if (isNull(oldForeignKey)) return send(record, newForeignKey, 'propagate-only-if-present');
        // Deleted, or its foreign key became null: unsubscribe and retract the result.
        if (isNull(newForeignKey)) return send(record, oldForeignKey, 'delete-and-propagate');
        if (storeKey(newForeignKey) !== storeKey(oldForeignKey)) {
          // A new foreign key: leave the old one quietly, and make sure the result is reset if the new one has no match.
          send(record, oldForeignKey, 'delete-no-propagate');
          send(record, newForeignKey, 'propagate-null-if-absent');
        } else {
          send(record, newForeignKey, 'propagate-only-if-present');
        }
      } else if (!isNull(newValue)) {
        if (isNull(newForeignKey)) return skip(record);
        send(record, newForeignKey, 'propagate-only-if-present');
      }
    };
  });
}

/**
 * Step 2, on the foreign side: records each subscription in the subscription store (or
 * deletes it) and passes it on keyed by `(foreignKey, primaryKey)`, with its timestamp.
 */
export function subscriptionReceive(storeName: string): OperatorFactory {
  return recordOperator((context, emit) => {
    const store = context.getStateStore<SubscriptionStore>(storeName);
    return (record) => {
      const subscription = record.value as Subscription;
      const foreignKey = record.key;
      if (isNull(foreignKey) && subscription.instruction !== 'propagate-null-if-absent') return context.recordDropped('null-foreign-key', record);
      const latest: ValueAndTimestamp<Subscription> = { value: subscription, timestamp: record.timestamp };
      let previous: ValueAndTimestamp<Subscription> | undefined;
      if (!isNull(foreignKey)) {
        previous = store.getSubscription(foreignKey, subscription.primaryKey);
        if (subscription.instruction === 'delete-and-propagate' || subscription.instruction === 'delete-no-propagate') {
          store.deleteSubscription(foreignKey, subscription.primaryKey, record.timestamp);
        } else {
          store.putSubscription(foreignKey, subscription.primaryKey, subscription, record.timestamp);
        }
      }
      const key: CombinedKey = { foreignKey, primaryKey: subscription.primaryKey };
      emit(withKeyValue(record, key, change(latest, previous ?? null)));
    };
  });
}

/**
 * Step 3, on the foreign side: answers a subscription with the foreign table's current
 * value, as its instruction says, keyed by primary key. The answer's timestamp is the
 * larger of the subscription's and the foreign row's.
 */
export function subscriptionJoinForeign(foreign: TableValueGetterSupplier): OperatorFactory {
  return recordOperator((context, emit) => {
    const lookup = foreign.create(context);
    return (record) => {
      const { foreignKey, primaryKey } = record.key as CombinedKey;
      const { value: subscription, timestamp } = (record.value as Change<ValueAndTimestamp<Subscription>>).newValue!;
      const found = isNull(foreignKey) ? undefined : lookup(foreignKey);
      const resultTimestamp = found ? Math.max(timestamp, found.timestamp) : timestamp;
      const respond = (foreignValue: unknown) => {
        const response: SubscriptionResponse = { hash: subscription.hash, foreignValue, primaryPartition: subscription.primaryPartition };
        emit(withKeyValue(record, primaryKey, response, resultTimestamp));
      };
      switch (subscription.instruction) {
        case 'delete-and-propagate':
          return respond(null);
        case 'propagate-null-if-absent':
          return respond(found ? found.value : null);
        case 'propagate-only-if-present':
          if (found) respond(found.value);
          return;
        case 'delete-no-propagate':
          return;
      }
    };
  });
}

/**
 * Step 3', on the foreign table: sends each change of a foreign row to every primary row
 * subscribed to its key, with the foreign record's timestamp.
 */
export function foreignTableJoinSubscription(storeName: string): OperatorFactory {
  return recordOperator((context, emit) => {
    const store = context.getStateStore<SubscriptionStore>(storeName);
    return (record) => {
      if (isNull(record.key)) return context.recordDropped('null-key', record);
      const { newValue, isLatest } = record.value as Change<unknown>;
      if (isLatest === false) return context.recordDropped('out-of-order', record);
      for (const { primaryKey, subscription } of store.subscribersOf(record.key)) {
        const response: SubscriptionResponse = { hash: subscription.hash, foreignValue: newValue, primaryPartition: subscription.primaryPartition };
        emit(withKeyValue(record, primaryKey, response));
      }
    };
  });
}

/**
 * Step 4, back on the primary side: drops a response meant for an older value of the row
 * (its hash differs from the current value's), otherwise emits the joined value, or
 * `null` (a delete) when an inner join found no foreign row or the primary row is gone.
 */
export function subscriptionResponseResolver(
  primary: TableValueGetterSupplier,
  hashOf: (value: unknown) => string | null,
  joiner: (value: unknown, foreignValue: unknown, key: unknown) => unknown,
  leftJoin: boolean,
): OperatorFactory {
  return recordOperator((context, emit) => {
    const lookup = primary.create(context);
    return (record) => {
      const response = record.value as SubscriptionResponse;
      const current = lookup(record.key);
      const currentHash = current ? hashOf(current.value) : null;
      if (response.hash !== currentHash) return context.recordDropped('stale-foreign-key-response', record);
      const result =
        isNull(response.foreignValue) && (!leftJoin || !current) ? null : joiner(current ? current.value : null, response.foreignValue ?? null, record.key);
      emit(withValue(record, result));
    };
  });
}

/**
 * Step 5: the join result as a table. Writes the result store when there is one (the
 * change then carries the old value) and forwards the change.
 */
export function foreignKeyJoinResult(storeName: () => string | undefined): OperatorFactory {
  return recordOperator((context, emit) => {
    const name = storeName();
    const store = name === undefined ? undefined : context.getStateStore<KeyValueStore<unknown, unknown>>(name);
    return (record) => {
      if (isNull(record.key)) return context.recordDropped('null-key', record);
      const newValue = record.value ?? null;
      const oldValue = store ? store.get(record.key) ?? null : null;
      store?.put(record.key, newValue, record.timestamp);
      emit(withValue(record, change(newValue, oldValue)));
    };
  });
}
