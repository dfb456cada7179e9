package crm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Counts each complete basket into the row of a product it contains, the record's key
 * (coPurchaseCounter.ts): the basket's other products are kept in `co-purchase-baskets` under
 * `product|invoiceNo` (logged: the durable state), and the product's {@link CoPurchaseRow} in
 * `co-purchase-counts` (objects, not logged) adds 1 for each. Forwards nothing.
 */
public final class CoPurchaseCounter implements Processor<String, BasketForProduct, Void, Void> {
  private final String basketStore;
  private final String countStore;
  private final int topSize;
  private KeyValueStore<String, String> baskets;
  private ObjectStore<CoPurchaseRow> counts;

  public CoPurchaseCounter(String basketStore, String countStore, int topSize) {
    this.basketStore = basketStore;
    this.countStore = countStore;
    this.topSize = topSize;
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    this.baskets = context.getStateStore(basketStore);
    this.counts = context.getStateStore(countStore);
    rebuildRows(baskets, counts, topSize);
  }

  @Override
  public void process(Record<String, BasketForProduct> record) {
    String product = record.key();
    List<String> partners = new ArrayList<>(record.value().products().size());
    for (String other : record.value().products()) if (!other.equals(product)) partners.add(other);
    String key = CompositeKey.of(product, record.value().invoiceNo());
    String earlier = baskets.get(key);
    String text = String.join(TextSerde.TAB, partners);
    baskets.put(key, earlier == null ? text : earlier + TextSerde.TAB + text);
    CoPurchaseRow row = counts.get(product);
    if (row == null) counts.put(product, row = new CoPurchaseRow());
    row.addBasket(product, partners, topSize);
  }

  /**
   * Rebuilds the rows from the baskets when a task starts with baskets but no rows (its stores
   * were restored): the rows are derived and in memory only. Does nothing otherwise.
   */
  static void rebuildRows(KeyValueStore<String, String> baskets, ObjectStore<CoPurchaseRow> counts, int topSize) {
    if (!counts.isEmpty() || baskets.approximateNumEntries() == 0) return;
    Map<String, CoPurchaseRow> rows = new HashMap<>();
    try (KeyValueIterator<String, String> all = baskets.all()) {
      while (all.hasNext()) {
        KeyValue<String, String> entry = all.next();
        String product = CompositeKey.firstPart(entry.key);
        List<String> partners = entry.value.isEmpty() ? List.of() : Arrays.asList(entry.value.split(TextSerde.TAB, -1));
        rows.computeIfAbsent(product, p -> new CoPurchaseRow()).addBasket(product, partners, topSize);
      }
    }
    rows.forEach(counts::put);
  }
}
