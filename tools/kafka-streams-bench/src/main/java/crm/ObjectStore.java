package crm;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * A state store of live Java objects, in memory and never logged: the twin of the example's
 * derived stores (`co-purchase-counts`, `customer-product-sets`: `Stores.keyValueStore(name,
 * { type: 'inMemory', logging: false })`, which hold objects). Kafka Streams' own key-value stores
 * hold bytes and deserialize on every read; a row of thousands of counts updated in place
 * needs a store of objects, which a custom {@link StateStore} is. Several processors of one task
 * share it by name, as they share any store; it is rebuilt from the logged store it derives
 * from when a task starts on restored state (the processors' `init`).
 */
public final class ObjectStore<V> implements StateStore {
  private final String name;
  private final Map<String, V> entries = new HashMap<>();
  private boolean open;

  private ObjectStore(String name) {
    this.name = name;
  }

  public V get(String key) {
    return entries.get(key);
  }

  public void put(String key, V value) {
    entries.put(key, value);
  }

  public boolean isEmpty() {
    return entries.isEmpty();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void init(StateStoreContext context, StateStore root) {
    // No changelog: nothing is ever restored into it.
    context.register(root, (key, value) -> {});
    open = true;
  }

  @Override
  public void close() {
    entries.clear();
    open = false;
  }

  @Override
  public boolean persistent() {
    return false;
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  /** A builder of the store `name`: logging off, caching not applicable. */
  public static <V> StoreBuilder<ObjectStore<V>> builder(String name) {
    return new StoreBuilder<>() {
      @Override
      public StoreBuilder<ObjectStore<V>> withCachingEnabled() {
        return this;
      }

      @Override
      public StoreBuilder<ObjectStore<V>> withCachingDisabled() {
        return this;
      }

      @Override
      public StoreBuilder<ObjectStore<V>> withLoggingEnabled(Map<String, String> config) {
        throw new UnsupportedOperationException("an ObjectStore is derived state: never logged");
      }

      @Override
      public StoreBuilder<ObjectStore<V>> withLoggingDisabled() {
        return this;
      }

      @Override
      public ObjectStore<V> build() {
        return new ObjectStore<>(name);
      }

      @Override
      public Map<String, String> logConfig() {
        return Map.of();
      }

      @Override
      public boolean loggingEnabled() {
        return false;
      }

      @Override
      public String name() {
        return name;
      }
    };
  }
}
