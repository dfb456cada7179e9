package crm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One product's row of `co-purchase-counts` (coPurchases.ts, `CoPurchaseRow`): with how many
 * invoices each other product shared a basket, and the `topSize` most co-purchased products
 * ranked (count descending, ties by stock code ascending), kept exact on every increment so a
 * lookup never sorts. Derived from `co-purchase-baskets`, never logged itself.
 */
public final class CoPurchaseRow {
  private int[] counts = new int[64];
  /** The ranked stock codes, best first. */
  final List<String> top = new ArrayList<>();

  /** Invoices that contained both this product and `stockCode`. */
  public int count(String stockCode) {
    int id = ProductIndex.existingId(stockCode);
    return id < 0 || id >= counts.length ? 0 : counts[id];
  }

  /** Counts one basket containing `product`: +1 for every other product of it, the ranking kept up to date. */
  public void addBasket(String product, List<String> products, int topSize) {
    int floor = rankingFloor(topSize);
    for (String other : products) {
      if (other.equals(product)) continue;
      int id = ProductIndex.id(other);
      if (id >= counts.length) grow(id);
      int count = ++counts[id];
      // A ranked product counts at least `floor`; one below it is not ranked and cannot enter.
      if (count >= floor && rerank(other, count, topSize)) floor = rankingFloor(topSize);
    }
  }

  /** The ranked candidates and their counts, best first. */
  public PurchaseWithCandidates withCandidates(PurchaseRef purchase) {
    List<String> candidates = new ArrayList<>(top);
    int[] coPurchases = new int[candidates.size()];
    for (int i = 0; i < coPurchases.length; i++) coPurchases[i] = count(candidates.get(i));
    return new PurchaseWithCandidates(purchase.customerId(), purchase.invoiceNo(), purchase.stockCode(), purchase.timestamp(), candidates, coPurchases);
  }

  private int rankingFloor(int topSize) {
    return top.size() < topSize ? 0 : count(top.get(top.size() - 1));
  }

  /** Moves `product`, whose count just went up by one, to its place: counts only grow, so only it moves, and only up. */
  private boolean rerank(String product, int count, int topSize) {
    int i = top.indexOf(product);
    if (i < 0) {
      if (top.size() < topSize) {
        top.add(product);
      } else {
        String last = top.get(top.size() - 1);
        if (!before(product, count, last, count(last))) return false;
        top.set(top.size() - 1, product);
      }
      i = top.size() - 1;
    }
    while (i > 0) {
      String above = top.get(i - 1);
      if (!before(product, count, above, count(above))) break;
      top.set(i - 1, product);
      top.set(i, above);
      i--;
    }
    return true;
  }

  private void grow(int id) {
    int size = counts.length;
    while (size <= id) size *= 2;
    counts = Arrays.copyOf(counts, size);
  }

  private static boolean before(String a, int countA, String b, int countB) {
    return countA > countB || (countA == countB && a.compareTo(b) < 0);
  }
}
