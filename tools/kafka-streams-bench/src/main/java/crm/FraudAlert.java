package crm;

import java.util.List;
import java.util.Map;

/** A value of the fraud alerts output (fraudAlert.ts): a customer, why it is suspicious, when (event time), evidence. */
public record FraudAlert(String customerId, List<String> reasons, long timestamp, Map<String, Object> details) {
  public FraudAlert withReasons(List<String> fresh) {
    return new FraudAlert(customerId, fresh, timestamp, details);
  }
}
