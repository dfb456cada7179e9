package crm;

/**
 * One invoice line of a customer, the value of the CRM input topic (JSON): the twin of
 * `CustomerInteraction` in packages/examples/src/data/interaction.ts. The record's key is
 * `customerId`, its timestamp `timestamp`.
 */
public record CustomerInteraction(
    String eventId,
    String customerId,
    String invoiceNo,
    /** `purchase` or `cancellation`. */
    String type,
    String stockCode,
    String description,
    long quantity,
    double unitPrice,
    /** `quantity * unitPrice` to the cent; negative for a cancellation. */
    double amount,
    String country,
    long timestamp) {

  public boolean isPurchase() {
    return "purchase".equals(type);
  }

  public boolean isCancellation() {
    return "cancellation".equals(type);
  }
}
