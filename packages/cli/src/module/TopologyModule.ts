import type { Headers, StreamsBuilder, Topology } from '@tributary/core';
import type { KafkaStreamsOptions } from '@tributary/kafka';

/**
 * What a topology module exports, for `tributary describe|run|topics <module>`: the
 * topology (required) as `default` or `topology`, and optionally its `options` and `inputs`.
 *
 * The topology may be given three ways:
 * - a {@link Topology} (`builder.build()`);
 * - a function of no arguments returning one (or a promise of one);
 * - a function of a {@link StreamsBuilder} that adds the topology to it; it may return the
 *   built topology, or nothing, and the CLI calls `builder.build()`.
 *
 * ## Example
 * ```ts
 * // topology.ts: tributary run ./topology.ts --input orders=orders.jsonl
 * import { Serdes, type StreamsBuilder } from '@tributary/core';
 * import type { TopologyModuleOptions } from '@tributary/cli';
 *
 * export default function ordersPerCustomer(builder: StreamsBuilder): void {
 *   builder
 *     .stream<string, { amount: number }>('orders')
 *     .groupByKey()
 *     .count({ name: 'orders-per-customer' })
 *     .toStream()
 *     .to('order-counts', { valueSerde: Serdes.json<number>() });
 * }
 *
 * export const options: TopologyModuleOptions = { applicationId: 'order-totals' };
 * ```
 */
export interface TopologyModule {
  /** The topology, or a function building it. Either this or {@link TopologyModule.topology}. */
  default?: TopologySource;
  /** The topology, or a function building it, when `default` is not used. */
  topology?: TopologySource;
  /** The application's options. */
  options?: TopologyModuleOptions;
  /** Records for an embedded run (`tributary run <module>` without `--brokers`), by topic. */
  inputs?: TopologyInputs | (() => TopologyInputs | Promise<TopologyInputs>);
}

/** A topology, a function returning one, or a function adding one to a builder. */
export type TopologySource = Topology | (() => Topology | Promise<Topology>) | ((builder: StreamsBuilder) => Topology | void | Promise<Topology | void>);

/**
 * The application's id and `KafkaStreams` options (those that are not the connection: brokers,
 * TLS and SASL come from the command line, `--command-config` or `TRIBUTARY_*`).
 * `--application-id` overrides `applicationId`; a run on Kafka needs one or the other.
 * An embedded run uses only `applicationId` (defaulting to the module's file name) and the
 * serdes and error handlers.
 */
export type TopologyModuleOptions = Partial<Omit<KafkaStreamsOptions, 'brokers' | 'ssl' | 'sasl' | 'client'>>;

/** A record the CLI writes to an input topic. Keys and values go through the topic's serdes (default: string keys, JSON values). */
export interface TopologyInputRecord {
  key: unknown;
  value: unknown;
  /** Event time, epoch milliseconds. Defaults to the wall clock when written. */
  timestamp?: number;
  headers?: Headers;
}

/** Input records by topic: arrays, generators or async generators (read lazily, in order). */
export type TopologyInputs = Record<string, Iterable<TopologyInputRecord> | AsyncIterable<TopologyInputRecord>>;

/** The export names a topology may have, in the order they are looked at. */
export const TOPOLOGY_EXPORTS = ['default', 'topology'] as const;
