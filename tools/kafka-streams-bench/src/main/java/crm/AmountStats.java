package crm;

import org.apache.kafka.common.serialization.Serde;

/**
 * A customer's running statistics of purchase line amounts (Welford's online algorithm), the
 * value of the `amount-stats` table, with the verdict on the latest amount (amountStats.ts).
 */
public record AmountStats(long n, double mean, double m2, Verdict latest) {
  /** How the latest amount compared with the history before it; `zScore` null with fewer than two amounts or no spread. */
  public record Verdict(double amount, long history, double mean, double stdDev, Double zScore, boolean anomalous, long timestamp) {}

  public static final AmountStats EMPTY = new AmountStats(0, 0, 0, null);

  /** The example's defaults (`DEFAULT_AMOUNT_ANOMALY_RULES`): 5 earlier amounts, z >= 6, at least 10 times the mean. */
  static final long MIN_HISTORY = 5;
  static final double MIN_Z_SCORE = 6;
  static final double MIN_TIMES_MEAN = 10;

  public double stdDev() {
    return n < 2 ? 0 : Math.sqrt(m2 / (n - 1));
  }

  /** Judges `amount` against the statistics so far, then adds it (`addAmount`). */
  public AmountStats add(double amount, long timestamp) {
    double sd = stdDev();
    Double zScore = n >= 2 && sd > 0 ? (amount - mean) / sd : null;
    boolean anomalous = n >= MIN_HISTORY && zScore != null && zScore >= MIN_Z_SCORE && amount >= MIN_TIMES_MEAN * mean;
    long count = n + 1;
    double delta = amount - mean;
    double newMean = mean + delta / count;
    double newM2 = m2 + delta * (amount - newMean);
    return new AmountStats(count, newMean, newM2, new Verdict(amount, n, mean, sd, zScore, anomalous, timestamp));
  }

  /** `n \t mean \t m2`, then with a verdict `amount \t history \t mean \t stdDev \t zScore \t anomalous (1/0) \t timestamp`. */
  public static final Serde<AmountStats> SERDE = TextSerde.of(
      s -> {
        String head = s.n + TextSerde.TAB + s.mean + TextSerde.TAB + s.m2;
        Verdict v = s.latest;
        if (v == null) return head;
        return String.join(TextSerde.TAB, head, Double.toString(v.amount), Long.toString(v.history), Double.toString(v.mean), Double.toString(v.stdDev),
            v.zScore == null ? "" : v.zScore.toString(), v.anomalous ? "1" : "0", Long.toString(v.timestamp));
      },
      text -> {
        String[] f = text.split(TextSerde.TAB, -1);
        Verdict latest = f.length < 10 ? null
            : new Verdict(Double.parseDouble(f[3]), Long.parseLong(f[4]), Double.parseDouble(f[5]), Double.parseDouble(f[6]),
                f[7].isEmpty() ? null : Double.valueOf(f[7]), f[8].equals("1"), Long.parseLong(f[9]));
        return new AmountStats(Long.parseLong(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]), latest);
      });
}
