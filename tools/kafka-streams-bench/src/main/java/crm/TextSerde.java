package crm;

import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Values as one line of tab-separated UTF-8 text, as the CRM example writes its repartition
 * topics and changelogs (packages/examples/src/pipelines/textSerde.ts): the same bytes on the
 * same topics, so both engines move the same volume. `null` stays `null` (a tombstone).
 */
public final class TextSerde {
  /** Separates the fields; no stock code, invoice number, customer id or country contains it. */
  public static final String TAB = "\t";

  private TextSerde() {}

  public static <T> Serde<T> of(Function<T, String> write, Function<String, T> read) {
    Serializer<T> serializer = (topic, value) -> value == null ? null : write.apply(value).getBytes(StandardCharsets.UTF_8);
    Deserializer<T> deserializer = (topic, bytes) -> bytes == null ? null : read.apply(new String(bytes, StandardCharsets.UTF_8));
    return Serdes.serdeFrom(serializer, deserializer);
  }

  /** An event time as the example's `Serdes.json<number>()` writes it: the number in decimal. */
  public static Serde<Long> epochMillis() {
    return of(String::valueOf, Long::valueOf);
  }

  /** A nullable number as a field: empty for `null`. */
  public static String field(Long value) {
    return value == null ? "" : value.toString();
  }

  public static Long readField(String field) {
    return field == null || field.isEmpty() ? null : Long.valueOf(field);
  }
}
