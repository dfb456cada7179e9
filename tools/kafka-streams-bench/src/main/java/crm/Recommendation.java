package crm;

import java.util.List;

/** A value of the recommendations output (recommendations.ts): up to top-N products often bought with `stockCode` that the customer never bought. */
public record Recommendation(String customerId, String invoiceNo, String stockCode, List<Candidate> recommendations, long timestamp) {
  /** A product and how many invoices it shared with the one bought. */
  public record Candidate(String stockCode, int coPurchases) {}
}
