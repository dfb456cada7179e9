package crm;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;

/** A purchase with its product's ranked co-purchased products, best first (the repartition by customer). */
public record PurchaseWithCandidates(String customerId, String invoiceNo, String stockCode, long timestamp, List<String> candidates, int[] coPurchases) {
  /** `customerId \t invoiceNo \t stockCode \t timestamp (\t candidate \t count)*` (recommendationSerdes.ts). */
  public static final Serde<PurchaseWithCandidates> SERDE = TextSerde.of(
      p -> {
        StringBuilder text = new StringBuilder(String.join(TextSerde.TAB, p.customerId, p.invoiceNo, p.stockCode, Long.toString(p.timestamp)));
        for (int i = 0; i < p.candidates.size(); i++) text.append(TextSerde.TAB).append(p.candidates.get(i)).append(TextSerde.TAB).append(p.coPurchases[i]);
        return text.toString();
      },
      text -> {
        String[] f = text.split(TextSerde.TAB, -1);
        int n = (f.length - 4) / 2;
        List<String> candidates = new ArrayList<>(n);
        int[] counts = new int[n];
        for (int i = 0; i < n; i++) {
          candidates.add(f[4 + 2 * i]);
          counts[i] = Integer.parseInt(f[5 + 2 * i]);
        }
        return new PurchaseWithCandidates(f[0], f[1], f[2], Long.parseLong(f[3]), candidates, counts);
      });
}
