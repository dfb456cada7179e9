package crm;

import org.apache.kafka.common.serialization.Serde;

/** A purchase as the co-purchase lookup needs it (the repartition by product). */
public record PurchaseRef(String customerId, String invoiceNo, String stockCode, long timestamp) {
  /** `customerId \t invoiceNo \t stockCode \t timestamp` (recommendationSerdes.ts, `purchaseRefSerde`). */
  public static final Serde<PurchaseRef> SERDE = TextSerde.of(
      p -> String.join(TextSerde.TAB, p.customerId, p.invoiceNo, p.stockCode, Long.toString(p.timestamp)),
      text -> {
        String[] f = text.split(TextSerde.TAB, -1);
        return new PurchaseRef(f[0], f[1], f[2], Long.parseLong(f[3]));
      });
}
