import type { Serde } from '../serdes/Serde';
import { Serdes } from '../serdes/Serdes';
import { WindowedSerdes } from '../windows/WindowedSerdes';
import { InMemorySessionStore } from './InMemorySessionStore';
import { InMemoryWindowStore } from './InMemoryWindowStore';
import type { StoreOptions, StoreSpec } from './StateStore';

export interface WindowStoreOptions<K, V> extends StoreOptions {
  /** How long a window is kept, measured from the latest window start written. */
  retentionMs: number;
  /** The window size, so a window's end can be told from its start. */
  windowSizeMs: number;
  /** Serde of the key inside the windowed changelog key. Defaults to JSON. */
  keySerde?: Serde<K> | undefined;
  /** Serde of the changelog values. Defaults to JSON. */
  valueSerde?: Serde<V> | undefined;
}

export interface SessionStoreOptions<K, V> extends StoreOptions {
  /** How long a session is kept, measured from the latest session end written. */
  retentionMs: number;
  keySerde?: Serde<K> | undefined;
  valueSerde?: Serde<V> | undefined;
}

/**
 * A window store spec. The changelog key is the windowed key in Kafka Streams' layout
 * (key bytes + 8-byte window start), so restoring puts each window back where it was.
 */
export function windowStoreSpec(name: string, options: WindowStoreOptions<unknown, unknown>): StoreSpec {
  const { retentionMs, windowSizeMs } = options;
  return {
    name,
    kind: 'window',
    logging: options.logging ?? true,
    type: options.type,
    persistable: true,
    keySerde: WindowedSerdes.timeWindowed(options.keySerde ?? Serdes.json(), windowSizeMs) as Serde<unknown>,
    valueSerde: options.valueSerde,
    retentionMs,
    windowSizeMs,
    create: (logger) => new InMemoryWindowStore(name, retentionMs, windowSizeMs, logger),
  };
}

/** A session store spec. The changelog key is the windowed key (key bytes + 8-byte end + 8-byte start). */
export function sessionStoreSpec(name: string, options: SessionStoreOptions<unknown, unknown>): StoreSpec {
  const { retentionMs } = options;
  return {
    name,
    kind: 'session',
    logging: options.logging ?? true,
    type: options.type,
    persistable: true,
    keySerde: WindowedSerdes.sessionWindowed(options.keySerde ?? Serdes.json()) as Serde<unknown>,
    valueSerde: options.valueSerde,
    retentionMs,
    create: (logger) => new InMemorySessionStore(name, retentionMs, logger),
  };
}
