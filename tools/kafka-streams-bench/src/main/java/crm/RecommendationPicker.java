package crm;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Turns a purchase with its product's ranked candidates, keyed by customer, into a
 * {@link Recommendation} (recommendationPicker.ts): the first `topN` candidates the customer
 * never bought, checked in `customer-product-sets`. Forwards every purchase, with an empty list
 * when nothing is left. Runs in the recorder's task, so it rebuilds the sets after a restore too.
 */
public final class RecommendationPicker implements Processor<String, PurchaseWithCandidates, String, Recommendation> {
  private final String productStore;
  private final String setStore;
  private final int topN;
  private ProcessorContext<String, Recommendation> context;
  private ObjectStore<Set<String>> sets;

  public RecommendationPicker(String productStore, String setStore, int topN) {
    this.productStore = productStore;
    this.setStore = setStore;
    this.topN = topN;
  }

  @Override
  public void init(ProcessorContext<String, Recommendation> context) {
    this.context = context;
    this.sets = context.getStateStore(setStore);
    KeyValueStore<String, Long> products = context.getStateStore(productStore);
    CustomerProductsRecorder.rebuildSets(products, sets);
  }

  @Override
  public void process(Record<String, PurchaseWithCandidates> record) {
    PurchaseWithCandidates purchase = record.value();
    Set<String> bought = sets.get(record.key());
    List<Recommendation.Candidate> picked = new ArrayList<>();
    for (int i = 0; i < purchase.candidates().size() && picked.size() < topN; i++) {
      String stockCode = purchase.candidates().get(i);
      if (bought == null || !bought.contains(stockCode)) picked.add(new Recommendation.Candidate(stockCode, purchase.coPurchases()[i]));
    }
    context.forward(record.withValue(new Recommendation(purchase.customerId(), purchase.invoiceNo(), purchase.stockCode(), picked, purchase.timestamp())));
  }
}
