package crm;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps each customer's {@link RfmProfile} in `rfm-profiles` and forwards every update
 * (rfmProfiler.ts), counting distinct purchase invoices in `customer-invoices`
 * (`customerId|invoiceNo` -> event time of the invoice's first line, written once per invoice).
 */
public final class RfmProfiler implements Processor<String, CustomerInteraction, String, RfmProfile> {
  private final String profileStore;
  private final String invoiceStore;
  private ProcessorContext<String, RfmProfile> context;
  private KeyValueStore<String, RfmProfile> profiles;
  private KeyValueStore<String, Long> invoices;

  public RfmProfiler(String profileStore, String invoiceStore) {
    this.profileStore = profileStore;
    this.invoiceStore = invoiceStore;
  }

  @Override
  public void init(ProcessorContext<String, RfmProfile> context) {
    this.context = context;
    this.profiles = context.getStateStore(profileStore);
    this.invoices = context.getStateStore(invoiceStore);
  }

  @Override
  public void process(Record<String, CustomerInteraction> record) {
    String customerId = record.key();
    CustomerInteraction interaction = record.value();
    if (customerId == null || interaction == null) return;
    boolean newInvoice = false;
    if (interaction.isPurchase()) {
      String invoiceKey = CompositeKey.of(customerId, interaction.invoiceNo());
      newInvoice = invoices.get(invoiceKey) == null;
      if (newInvoice) invoices.put(invoiceKey, record.timestamp());
    }
    RfmProfile before = profiles.get(customerId);
    RfmProfile profile = (before == null ? RfmProfile.EMPTY : before).add(customerId, interaction, newInvoice);
    profiles.put(customerId, profile);
    context.forward(record.withValue(profile));
  }
}
