package crm;

import org.apache.kafka.common.serialization.Serde;

/**
 * A customer's RFM profile, the value of `rfm-profiles` (rfm.ts): distinct purchase invoices,
 * net spend in pence, lines, first and latest purchase (null before the first purchase).
 */
public record RfmProfile(
    String customerId,
    long frequency,
    long spendPence,
    long purchaseLines,
    long cancellationLines,
    Long firstPurchaseAt,
    Long lastPurchaseAt) {
  static final long DAY_MS = 86_400_000L;

  public static final RfmProfile EMPTY = new RfmProfile("", 0, 0, 0, 0, null, null);

  /** Net spend in pounds. */
  public double monetary() {
    return spendPence / 100.0;
  }

  /**
   * Folds one interaction in (`addToRfmProfile`): a purchase adds its amount, counts its invoice
   * if `newInvoice` and moves the first and latest purchase; a cancellation subtracts its amount
   * and counts a cancelled line.
   */
  public RfmProfile add(String customerId, CustomerInteraction interaction, boolean newInvoice) {
    long spend = spendPence + Math.round(interaction.amount() * 100);
    if (interaction.isCancellation()) {
      return new RfmProfile(customerId, frequency, spend, purchaseLines, cancellationLines + 1, firstPurchaseAt, lastPurchaseAt);
    }
    long at = interaction.timestamp();
    return new RfmProfile(
        customerId,
        frequency + (newInvoice ? 1 : 0),
        spend,
        purchaseLines + 1,
        cancellationLines,
        firstPurchaseAt == null ? at : Math.min(firstPurchaseAt, at),
        lastPurchaseAt == null ? at : Math.max(lastPurchaseAt, at));
  }

  /** Whole days from the latest purchase to `now` (event time), at least 0. */
  public long recencyDays(long now) {
    return Math.max(0, Math.floorDiv(now - lastPurchaseAt, DAY_MS));
  }

  /** Whole days from the first purchase to `now`, at least 0. */
  public long tenureDays(long now) {
    return Math.max(0, Math.floorDiv(now - firstPurchaseAt, DAY_MS));
  }

  /** `customerId \t frequency \t spendPence \t purchaseLines \t cancellationLines \t firstPurchaseAt \t lastPurchaseAt`. */
  public static final Serde<RfmProfile> SERDE = TextSerde.of(
      p -> String.join(TextSerde.TAB, p.customerId, Long.toString(p.frequency), Long.toString(p.spendPence), Long.toString(p.purchaseLines),
          Long.toString(p.cancellationLines), TextSerde.field(p.firstPurchaseAt), TextSerde.field(p.lastPurchaseAt)),
      text -> {
        String[] f = text.split(TextSerde.TAB, -1);
        return new RfmProfile(f[0], Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4]),
            TextSerde.readField(f[5]), TextSerde.readField(f[6]));
      });
}
