package crm;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Counts a customer's distinct invoices in hopping windows and raises an alert for `reason` for
 * each open window that reaches `threshold` (invoiceBurstDetector.ts). The windows and alerts are
 * those of `groupByKey().windowedBy(TimeWindows.ofSizeAndGrace(size, grace).advanceBy(advance))`
 * with a threshold filter, computed from one store entry per customer: the (invoice, event time)
 * pairs of the last `size + grace`, written only when a new pair arrives.
 */
public final class InvoiceBurstDetector implements Processor<String, CustomerInteraction, String, FraudAlert> {
  /** One invoice of a customer at one event time. */
  public record InvoiceAt(String invoiceNo, long timestamp) {}

  /** `invoiceNo \t timestamp \t invoiceNo \t timestamp ...`. */
  public static final Serde<List<InvoiceAt>> RECENT_INVOICES = TextSerde.of(
      entries -> {
        StringBuilder text = new StringBuilder();
        for (InvoiceAt e : entries) {
          if (text.length() > 0) text.append(TextSerde.TAB);
          text.append(e.invoiceNo).append(TextSerde.TAB).append(e.timestamp);
        }
        return text.toString();
      },
      text -> {
        List<InvoiceAt> entries = new ArrayList<>();
        if (text.isEmpty()) return entries;
        String[] f = text.split(TextSerde.TAB, -1);
        for (int i = 0; i + 1 < f.length; i += 2) entries.add(new InvoiceAt(f[i], Long.parseLong(f[i + 1])));
        return entries;
      });

  private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private final String storeName;
  private final String reason;
  private final long sizeMs;
  private final long advanceMs;
  private final long graceMs;
  private final int threshold;
  private ProcessorContext<String, FraudAlert> context;
  private KeyValueStore<String, List<InvoiceAt>> recent;
  /** The largest timestamp this processor has seen (the windowed aggregate's observed stream time). */
  private long observedMs = Long.MIN_VALUE;

  public InvoiceBurstDetector(String storeName, String reason, Duration size, Duration advance, Duration grace, int threshold) {
    this.storeName = storeName;
    this.reason = reason;
    this.sizeMs = size.toMillis();
    this.advanceMs = advance.toMillis();
    this.graceMs = grace.toMillis();
    this.threshold = threshold;
  }

  @Override
  public void init(ProcessorContext<String, FraudAlert> context) {
    this.context = context;
    this.recent = context.getStateStore(storeName);
  }

  @Override
  public void process(Record<String, CustomerInteraction> record) {
    String customerId = record.key();
    if (customerId == null) return;
    String invoiceNo = record.value().invoiceNo();
    long timestamp = record.timestamp();
    if (timestamp > observedMs) observedMs = timestamp;
    long closeTime = observedMs - graceMs;

    List<InvoiceAt> stored = recent.get(customerId);
    List<InvoiceAt> entries = stored == null ? new ArrayList<>() : stored;
    boolean inAnOpenWindow = timestamp + sizeMs > closeTime;
    if (inAnOpenWindow && !contains(entries, invoiceNo, timestamp)) {
      // Entries in no open window any more go when the value is written anyway.
      List<InvoiceAt> kept = new ArrayList<>(entries.size() + 1);
      for (InvoiceAt e : entries) if (e.timestamp + sizeMs > closeTime) kept.add(e);
      kept.add(new InvoiceAt(invoiceNo, timestamp));
      entries = kept;
      recent.put(customerId, entries);
    }

    for (long start = firstWindowStart(timestamp); start <= timestamp; start += advanceMs) {
      long end = start + sizeMs;
      if (end <= closeTime) continue;
      Set<String> invoices = new HashSet<>();
      long lastAt = 0;
      for (InvoiceAt e : entries) {
        if (e.timestamp < start || e.timestamp >= end) continue;
        invoices.add(e.invoiceNo);
        if (e.timestamp > lastAt) lastAt = e.timestamp;
      }
      if (invoices.size() < threshold) continue;
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("invoices", invoices.size());
      details.put("windowStart", ISO.format(java.time.Instant.ofEpochMilli(start)));
      details.put("windowMinutes", sizeMs / 60_000);
      context.forward(new Record<>(customerId, new FraudAlert(customerId, List.of(reason), lastAt, details), lastAt));
    }
  }

  /** The start of the first window containing `timestamp` (windows start at multiples of `advance`, from 0). */
  private long firstWindowStart(long timestamp) {
    long from = timestamp - sizeMs + advanceMs;
    return from <= 0 ? 0 : from - (from % advanceMs);
  }

  private static boolean contains(List<InvoiceAt> entries, String invoiceNo, long timestamp) {
    for (InvoiceAt e : entries) if (e.timestamp == timestamp && e.invoiceNo.equals(invoiceNo)) return true;
    return false;
  }
}
