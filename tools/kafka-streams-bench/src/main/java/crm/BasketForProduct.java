package crm;

import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;

/** What a product's co-purchase row receives: one complete invoice that contained it (every distinct product, this one included). */
public record BasketForProduct(String invoiceNo, List<String> products) {
  /** `invoiceNo \t product \t product ...` (recommendationSerdes.ts, `basketSerde`). */
  public static final Serde<BasketForProduct> SERDE = TextSerde.of(
      b -> b.invoiceNo + TextSerde.TAB + String.join(TextSerde.TAB, b.products),
      text -> {
        String[] f = text.split(TextSerde.TAB, -1);
        return new BasketForProduct(f[0], Arrays.asList(f).subList(1, f.length));
      });
}
