import type { Serde, Topology } from '@tributary/core';
import type { AssignmentInfo } from '../assignment/AssignmentInfo';
import type { TaskLayout } from '../assignment/TaskLayout';
import { parseHostInfo } from './HostInfo';
import { queryableStores, type QueryableStore } from './queryableStores';
import type { StoreKeyPartitioner } from './StoreKeyPartitioner';
import type { KeyQueryMetadata, StreamsMetadata } from './StreamsMetadata';
import { UnknownStoreError } from './UnknownStoreError';

/** Where a key is served, or why that is not known now. */
export type KeyOwner =
  /** A global store: every instance answers. */
  | { readonly kind: 'global' }
  | { readonly kind: 'owner'; readonly endpoint: string; readonly partition: number; readonly taskId: string }
  | { readonly kind: 'unavailable'; readonly reason: string };

/** The instances holding a store's parts, or why they are not known now. */
export type StoreOwners =
  | { readonly kind: 'global' }
  | { readonly kind: 'owners'; readonly endpoints: readonly string[] }
  | { readonly kind: 'unavailable'; readonly reason: string };

type HostMap = { readonly known: true; readonly hosts: ReadonlyMap<string, readonly string[]> } | { readonly known: false; readonly reason: string };

/**
 * What this instance knows of the whole application (Kafka Streams' `StreamsMetadataState`):
 * the endpoint -> tasks map the group leader sent with the last assignment, and how keys map
 * to tasks. Between a rebalance and the map of the new assignment nothing is known, and the
 * answers say why instead of naming a stale owner.
 */
export class StreamsMetadataState {
  private map: HostMap = { known: false, reason: 'the application has not joined its consumer group yet' };
  private owners = new Map<string, string>();
  private layout: TaskLayout | undefined;
  private partitioner: StoreKeyPartitioner | undefined;
  readonly stores: ReadonlyMap<string, QueryableStore>;

  constructor(
    topology: Topology,
    /** This instance's advertised endpoint, `host:port`; `undefined` when it advertises none. */
    private readonly self: () => string | undefined,
  ) {
    this.stores = queryableStores(topology);
  }

  /** The application's tasks are known (its topics were looked up). */
  started(layout: TaskLayout, partitioner: StoreKeyPartitioner): void {
    this.layout = layout;
    this.partitioner = partitioner;
  }

  /** A rebalance began, or an assignment arrived without its map yet: owners are unknown until {@link assigned}. */
  unknown(reason: string): void {
    this.map = { known: false, reason };
    this.owners.clear();
  }

  /** The user data of this member's assignment arrived. */
  assigned(info: AssignmentInfo): void {
    if (!info.hosts) {
      this.unknown(`the group leader sent no endpoints with the assignment (user data version ${info.version}: an instance of an older version leads the group)`);
      return;
    }
    this.map = { known: true, hosts: info.hosts };
    this.owners = new Map([...info.hosts].flatMap(([endpoint, tasks]) => tasks.map((task) => [task, endpoint] as const)));
  }

  /** The store, or an {@link UnknownStoreError} listing the queryable ones. */
  store(name: string): QueryableStore {
    const store = this.stores.get(name);
    if (!store) throw new UnknownStoreError(name, [...this.stores.keys()].sort());
    return store;
  }

  /** Which instance serves `key` of `store`. Throws for an unknown store or a key its serde cannot write. */
  ownerOf(store: string, key: unknown, keySerde?: Serde<unknown>): KeyOwner {
    if (this.store(store).global) return { kind: 'global' };
    if (!this.partitioner) return { kind: 'unavailable', reason: 'the application has not started' };
    const { partition, taskId } = this.partitioner.partition(store, key, keySerde);
    if (!this.map.known) return { kind: 'unavailable', reason: this.map.reason };
    const endpoint = this.owners.get(taskId);
    if (!endpoint) return { kind: 'unavailable', reason: `no instance that advertises an application server runs task ${taskId}, which holds the key` };
    return { kind: 'owner', endpoint, partition, taskId };
  }

  /** The task holding `key` of `store`; `undefined` for a global store or before the application started. */
  taskOf(store: string, key: unknown, keySerde?: Serde<unknown>): string | undefined {
    if (this.store(store).global || !this.partitioner) return undefined;
    return this.partitioner.partition(store, key, keySerde).taskId;
  }

  /** The instances holding parts of `store` (all of them for a global store). */
  ownersOf(store: string): StoreOwners {
    if (this.store(store).global) return { kind: 'global' };
    if (!this.map.known) return { kind: 'unavailable', reason: this.map.reason };
    const tasks = this.tasksOf(store);
    const missing = tasks.filter((t) => !this.owners.has(t));
    if (missing.length > 0) return { kind: 'unavailable', reason: `tasks ${missing.join(', ')} of store '${store}' run on no instance that advertises an application server` };
    return { kind: 'owners', endpoints: [...new Set(tasks.map((t) => this.owners.get(t)!))].sort() };
  }

  /** Kafka Streams' `queryMetadataForKey`; `undefined` while it is not known (rebalancing, or the owner advertises no endpoint). */
  metadataForKey(store: string, key: unknown, keySerde?: Serde<unknown>): KeyQueryMetadata | undefined {
    const owner = this.ownerOf(store, key, keySerde);
    if (owner.kind === 'owner') return { activeHost: parseHostInfo(owner.endpoint, 'the endpoint'), partition: owner.partition, taskId: owner.taskId };
    const self = this.self();
    if (owner.kind === 'global' && self) return { activeHost: parseHostInfo(self, 'applicationServer'), partition: -1, taskId: undefined };
    return undefined;
  }

  /** Kafka Streams' `streamsMetadataForStore`: the instances holding parts of `store` (every one for a global store); empty while not known. */
  allMetadataForStore(store: string): StreamsMetadata[] {
    const { global } = this.store(store);
    const tasks = new Set(global ? [] : this.tasksOf(store));
    return this.allMetadata().filter((m) => global || m.taskIds.some((t) => tasks.has(t)));
  }

  /** Kafka Streams' `metadataForAllStreamsClients`: every instance that advertises an endpoint; empty while not known. */
  allMetadata(): StreamsMetadata[] {
    if (!this.map.known) return [];
    const globals = [...this.stores.values()].filter((s) => s.global).map((s) => s.spec.name);
    return [...this.map.hosts]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([endpoint, taskIds]) => {
        const specs = taskIds.map((id) => this.layout?.task(id)).filter((t) => t !== undefined);
        const stores = new Set(specs.flatMap((t) => t.subTopology.stores.map((s) => s.name)).filter((name) => this.stores.has(name)));
        return {
          hostInfo: parseHostInfo(endpoint, 'the endpoint'),
          taskIds: [...taskIds],
          topicPartitions: specs.flatMap((t) => t.inputs.map(({ topic, partition }) => ({ topic, partition }))),
          stateStoreNames: [...stores, ...globals].sort(),
        };
      });
  }

  /**
   * The tasks of `store` that the instance at `endpoint` runs, as the last assignment says;
   * `undefined` while that is not known.
   */
  tasksAt(endpoint: string, store: string): string[] | undefined {
    if (!this.map.known) return undefined;
    return this.tasksOf(store).filter((t) => this.owners.get(t) === endpoint);
  }

  /** The tasks of the sub-topology that holds `store`. */
  private tasksOf(store: string): string[] {
    const sub = this.partitioner?.subTopologyOf(store);
    return sub && this.layout ? this.layout.tasks.filter((t) => t.subTopology.id === sub.id).map((t) => t.id) : [];
  }
}
