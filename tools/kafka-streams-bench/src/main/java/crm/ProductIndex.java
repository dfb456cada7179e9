package crm;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Dense numbers for stock codes, so a co-purchase row counts in an int array rather than a map
 * (coPurchases.ts, `ProductIndex`): about 4,000 products in the data set. One per process,
 * shared by every row of every stream thread, so safe across threads; append-only, never
 * persisted.
 */
final class ProductIndex {
  private static final ConcurrentHashMap<String, Integer> IDS = new ConcurrentHashMap<>();
  private static final AtomicInteger NEXT = new AtomicInteger();

  private ProductIndex() {}

  static int id(String code) {
    Integer id = IDS.get(code);
    return id != null ? id : IDS.computeIfAbsent(code, c -> NEXT.getAndIncrement());
  }

  /** The id of a code already numbered, or -1. */
  static int existingId(String code) {
    Integer id = IDS.get(code);
    return id == null ? -1 : id;
  }
}
