package crm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;

/** An invoice being assembled, the value of `open-invoices` (invoiceAssembler.ts): its distinct products in order of first line. */
public record OpenInvoice(String invoiceNo, String customerId, List<String> products, long lastLineAt) {
  /** `invoiceNo \t customerId \t lastLineAt \t product \t product ...`. */
  public static final Serde<OpenInvoice> SERDE = TextSerde.of(
      i -> i.invoiceNo + TextSerde.TAB + i.customerId + TextSerde.TAB + i.lastLineAt + TextSerde.TAB + String.join(TextSerde.TAB, i.products),
      text -> {
        String[] f = text.split(TextSerde.TAB, -1);
        return new OpenInvoice(f[0], f[1], new ArrayList<>(Arrays.asList(f).subList(3, f.length)), Long.parseLong(f[2]));
      });
}
