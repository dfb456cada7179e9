package crm;

import java.util.List;

/** An invoice whose lines have all arrived: the basket whose product pairs are counted. */
public record ClosedInvoice(String invoiceNo, String customerId, List<String> products, long timestamp) {}
