package crm;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Looks up the ranked co-purchased products of each purchase's product, the record's key, in
 * `co-purchase-counts` and forwards the purchase with them (coPurchaseLookup.ts); a product with
 * no row yet is dropped, as an inner stream-table join drops it. Runs in the counter's task (the
 * two share the stores), so it rebuilds the rows after a restore too.
 */
public final class CoPurchaseLookup implements Processor<String, PurchaseRef, String, PurchaseWithCandidates> {
  private final String basketStore;
  private final String countStore;
  private final int topSize;
  private ProcessorContext<String, PurchaseWithCandidates> context;
  private ObjectStore<CoPurchaseRow> counts;

  public CoPurchaseLookup(String basketStore, String countStore, int topSize) {
    this.basketStore = basketStore;
    this.countStore = countStore;
    this.topSize = topSize;
  }

  @Override
  public void init(ProcessorContext<String, PurchaseWithCandidates> context) {
    this.context = context;
    this.counts = context.getStateStore(countStore);
    KeyValueStore<String, String> baskets = context.getStateStore(basketStore);
    CoPurchaseCounter.rebuildRows(baskets, counts, topSize);
  }

  @Override
  public void process(Record<String, PurchaseRef> record) {
    CoPurchaseRow row = counts.get(record.key());
    if (row == null) return;
    context.forward(record.withValue(row.withCandidates(record.value())));
  }
}
