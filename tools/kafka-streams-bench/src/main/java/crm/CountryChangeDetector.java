package crm;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Raises a `country-change` alert for a purchase from another country than the customer's
 * previous one at most `withinMs` of event time after it (countryChangeDetector.ts); remembers
 * each customer's last purchase in `last-purchase-location`, written only when it changes.
 */
public final class CountryChangeDetector implements Processor<String, CustomerInteraction, String, FraudAlert> {
  /** Where and when a customer last purchased. */
  public record PurchaseLocation(String country, long at) {}

  /** `country \t at`. */
  public static final Serde<PurchaseLocation> LOCATION = TextSerde.of(
      l -> l.country + TextSerde.TAB + l.at,
      text -> {
        String[] f = text.split(TextSerde.TAB, -1);
        return new PurchaseLocation(f[0], Long.parseLong(f[1]));
      });

  private final String storeName;
  private final long withinMs;
  private ProcessorContext<String, FraudAlert> context;
  private KeyValueStore<String, PurchaseLocation> locations;

  public CountryChangeDetector(String storeName, long withinMs) {
    this.storeName = storeName;
    this.withinMs = withinMs;
  }

  @Override
  public void init(ProcessorContext<String, FraudAlert> context) {
    this.context = context;
    this.locations = context.getStateStore(storeName);
  }

  @Override
  public void process(Record<String, CustomerInteraction> record) {
    String customerId = record.key();
    if (customerId == null) return;
    String country = record.value().country();
    long at = record.value().timestamp();
    PurchaseLocation previous = locations.get(customerId);
    if (previous != null && previous.country.equals(country) && previous.at == at) return;
    locations.put(customerId, new PurchaseLocation(country, at));
    if (previous == null || previous.country.equals(country) || at - previous.at > withinMs) return;
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("from", previous.country);
    details.put("to", country);
    details.put("minutesApart", Math.round((at - previous.at) / 60_000.0 * 10) / 10.0);
    context.forward(new Record<>(customerId, new FraudAlert(customerId, List.of("country-change"), at, details), at));
  }
}
