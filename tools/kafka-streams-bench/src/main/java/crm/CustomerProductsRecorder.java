package crm;

import java.util.HashSet;
import java.util.Set;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Records which products each customer bought (customerProductsRecorder.ts): `customer-products`
 * (`customerId|stockCode` -> event time of the first purchase of it, logged) and the same as
 * one set per customer in `customer-product-sets` (objects, not logged) for lookups. Forwards a
 * customer's first product purchase, once per customer: the records of the
 * `customer-first-purchase` table the purchases are joined with.
 */
public final class CustomerProductsRecorder implements FixedKeyProcessor<String, CustomerInteraction, Long> {
  private final String productStore;
  private final String setStore;
  private FixedKeyProcessorContext<String, Long> context;
  private KeyValueStore<String, Long> products;
  private ObjectStore<Set<String>> sets;

  public CustomerProductsRecorder(String productStore, String setStore) {
    this.productStore = productStore;
    this.setStore = setStore;
  }

  @Override
  public void init(FixedKeyProcessorContext<String, Long> context) {
    this.context = context;
    this.products = context.getStateStore(productStore);
    this.sets = context.getStateStore(setStore);
    rebuildSets(products, sets);
  }

  @Override
  public void process(FixedKeyRecord<String, CustomerInteraction> record) {
    String customerId = record.key();
    CustomerInteraction purchase = record.value();
    if (customerId == null) return;
    Set<String> bought = sets.get(customerId);
    if (bought != null && bought.contains(purchase.stockCode())) return;
    boolean firstProduct = bought == null;
    if (firstProduct) sets.put(customerId, bought = new HashSet<>());
    bought.add(purchase.stockCode());
    products.put(CompositeKey.of(customerId, purchase.stockCode()), purchase.timestamp());
    if (firstProduct) context.forward(record.withValue(purchase.timestamp()));
  }

  /**
   * Rebuilds the sets from `customer-products` when a task starts with products but no sets (its
   * stores were restored): they are derived and in memory only. Does nothing otherwise.
   */
  static void rebuildSets(KeyValueStore<String, Long> products, ObjectStore<Set<String>> sets) {
    if (!sets.isEmpty() || products.approximateNumEntries() == 0) return;
    try (KeyValueIterator<String, Long> all = products.all()) {
      while (all.hasNext()) {
        KeyValue<String, Long> entry = all.next();
        String customerId = CompositeKey.firstPart(entry.key);
        Set<String> bought = sets.get(customerId);
        if (bought == null) sets.put(customerId, bought = new HashSet<>());
        bought.add(CompositeKey.secondPart(entry.key));
      }
    }
  }
}
