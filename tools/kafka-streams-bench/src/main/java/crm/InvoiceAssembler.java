package crm;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Assembles purchase lines into invoices (invoiceAssembler.ts), keyed by invoice number in
 * `open-invoices` within the customer's partition, and forwards each invoice once it is
 * complete: when stream time has passed its latest line by `closeAfter` (checked by a
 * stream-time punctuator every `checkEvery`).
 */
public final class InvoiceAssembler implements Processor<String, CustomerInteraction, String, ClosedInvoice> {
  private final String storeName;
  private final long closeAfterMs;
  private final Duration checkEvery;
  private ProcessorContext<String, ClosedInvoice> context;
  private KeyValueStore<String, OpenInvoice> open;

  public InvoiceAssembler(String storeName, Duration closeAfter, Duration checkEvery) {
    this.storeName = storeName;
    this.closeAfterMs = closeAfter.toMillis();
    this.checkEvery = checkEvery;
  }

  @Override
  public void init(ProcessorContext<String, ClosedInvoice> context) {
    this.context = context;
    this.open = context.getStateStore(storeName);
    context.schedule(checkEvery, PunctuationType.STREAM_TIME, this::closeInvoices);
  }

  @Override
  public void process(Record<String, CustomerInteraction> record) {
    CustomerInteraction line = record.value();
    OpenInvoice invoice = open.get(line.invoiceNo());
    if (invoice == null) {
      List<String> products = new ArrayList<>();
      products.add(line.stockCode());
      open.put(line.invoiceNo(), new OpenInvoice(line.invoiceNo(), line.customerId(), products, line.timestamp()));
      return;
    }
    boolean known = invoice.products().contains(line.stockCode());
    long lastLineAt = Math.max(invoice.lastLineAt(), line.timestamp());
    // Another line of a product already in the basket, no later than the latest line: nothing to write.
    if (known && lastLineAt == invoice.lastLineAt()) return;
    List<String> products = invoice.products();
    if (!known) {
      products = new ArrayList<>(products);
      products.add(line.stockCode());
    }
    open.put(line.invoiceNo(), new OpenInvoice(invoice.invoiceNo(), invoice.customerId(), products, lastLineAt));
  }

  private void closeInvoices(long now) {
    List<OpenInvoice> closed = new ArrayList<>();
    try (KeyValueIterator<String, OpenInvoice> all = open.all()) {
      while (all.hasNext()) {
        KeyValue<String, OpenInvoice> entry = all.next();
        if (now - entry.value.lastLineAt() >= closeAfterMs) closed.add(entry.value);
      }
    }
    for (OpenInvoice invoice : closed) {
      open.delete(invoice.invoiceNo());
      ClosedInvoice value = new ClosedInvoice(invoice.invoiceNo(), invoice.customerId(), invoice.products(), invoice.lastLineAt());
      context.forward(new Record<>(invoice.invoiceNo(), value, invoice.lastLineAt()));
    }
  }
}
