package crm;

/**
 * The segment rules of the example, with its default thresholds (segments.ts,
 * `DEFAULT_SEGMENT_RULES`); the first rule that matches wins.
 */
public final class Segments {
  private Segments() {}

  /** The segment of a profile at `now`; null when the customer never purchased. */
  public static String classify(RfmProfile profile, long now) {
    if (profile.lastPurchaseAt() == null || profile.firstPurchaseAt() == null) return null;
    long r = profile.recencyDays(now);
    long f = profile.frequency();
    double m = profile.monetary();
    long t = profile.tenureDays(now);
    if (r <= 30 && f >= 10 && m >= 5000) return "Champions";
    if (r <= 90 && f >= 4) return "Loyal";
    if (t <= 30) return "New";
    if (r <= 90) return "Promising";
    if (r <= 180) return "At Risk";
    return "Lost";
  }
}
