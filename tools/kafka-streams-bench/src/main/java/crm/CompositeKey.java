package crm;

/**
 * Keys of the CRM stores made of two parts, `first|second` (compositeKey.ts): one small entry
 * per (customer, invoice), (customer, product) or (product, invoice), so a change writes one
 * small changelog record rather than a growing value.
 */
public final class CompositeKey {
  public static final String SEPARATOR = "|";

  private CompositeKey() {}

  public static String of(String first, String second) {
    return first + SEPARATOR + second;
  }

  public static String firstPart(String key) {
    return key.substring(0, key.indexOf(SEPARATOR));
  }

  public static String secondPart(String key) {
    return key.substring(key.indexOf(SEPARATOR) + 1);
  }
}
