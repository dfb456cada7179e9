package crm;

/** A value of the segments output: a customer moved into `segment` (segments.ts, `SegmentChange`). */
public record SegmentChange(
    String customerId, String segment, String previousSegment, long recencyDays, long frequency, double monetary, long timestamp) {}
