package crm;

import com.fasterxml.jackson.core.type.TypeReference;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Lets through one alert per customer and reason per `cooldownMs` of event time
 * (alertCooldown.ts); `fraud-alert-cooldown` holds when each reason last alerted a customer
 * (a JSON object, reason -> event time). An alert with no fresh reason left is dropped.
 */
public final class AlertCooldown implements Processor<String, FraudAlert, String, FraudAlert> {
  /** The store's value: reason -> event time of its last alert. */
  public static final Serde<LinkedHashMap<String, Long>> LAST_ALERTS = Json.of(new TypeReference<LinkedHashMap<String, Long>>() {});

  private final String storeName;
  private final long cooldownMs;
  private ProcessorContext<String, FraudAlert> context;
  private KeyValueStore<String, LinkedHashMap<String, Long>> last;

  public AlertCooldown(String storeName, long cooldownMs) {
    this.storeName = storeName;
    this.cooldownMs = cooldownMs;
  }

  @Override
  public void init(ProcessorContext<String, FraudAlert> context) {
    this.context = context;
    this.last = context.getStateStore(storeName);
  }

  @Override
  public void process(Record<String, FraudAlert> record) {
    FraudAlert alert = record.value();
    LinkedHashMap<String, Long> previous = last.get(record.key());
    List<String> fresh = new ArrayList<>();
    for (String reason : alert.reasons()) {
      Long at = previous == null ? null : previous.get(reason);
      if (at == null || alert.timestamp() - at >= cooldownMs) fresh.add(reason);
    }
    if (fresh.isEmpty()) return;
    LinkedHashMap<String, Long> updated = previous == null ? new LinkedHashMap<>() : new LinkedHashMap<>(previous);
    for (String reason : fresh) updated.put(reason, alert.timestamp());
    last.put(record.key(), updated);
    FraudAlert out = fresh.size() == alert.reasons().size() ? alert : alert.withReasons(fresh);
    context.forward(new Record<>(record.key(), out, alert.timestamp()));
  }
}
