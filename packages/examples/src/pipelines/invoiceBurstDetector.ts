import { TimeWindows, type Duration, type KeyValueStore, type Processor, type ProcessorContext, type Serde, type StreamRecord } from '@tributary/core';
import type { CustomerInteraction, FraudAlert, FraudReason } from '../data';
import { TAB, textSerde } from './textSerde';

/** A hopping window detector: `threshold` distinct invoices within `size`, checked every `advance`. */
export interface WindowRule {
  size: Duration;
  advance: Duration;
  /** How late (stream time) a record may be and still count in its windows. */
  grace: Duration;
  /** Distinct invoices in one window that raise an alert. */
  threshold: number;
}

/** One invoice of a customer at one event time: an entry of {@link RecentInvoices}. */
export interface InvoiceAt {
  invoiceNo: string;
  timestamp: number;
}

/**
 * The value of the `purchase-velocity` and `cancellation-bursts` stores (key: customer id):
 * the customer's distinct (invoice, event time) pairs recent enough to be in a window that is
 * still open, oldest first. Lines of one invoice share its time, so an invoice is one entry.
 */
export type RecentInvoices = InvoiceAt[];

/** `invoiceNo \t timestamp \t invoiceNo \t timestamp ...` */
export const recentInvoicesSerde: Serde<RecentInvoices> = textSerde(
  'recent-invoices',
  (entries) => entries.map((e) => `${e.invoiceNo}${TAB}${e.timestamp}`).join(TAB),
  (text) => {
    const fields = text === '' ? [] : text.split(TAB);
    const entries: RecentInvoices = [];
    for (let i = 0; i + 1 < fields.length; i += 2) entries.push({ invoiceNo: fields[i]!, timestamp: Number(fields[i + 1]) });
    return entries;
  },
);

/**
 * Counts a customer's distinct invoices in hopping windows and raises an alert for `reason`
 * for each window that reaches `rule.threshold`. Distinct invoices, not lines: one invoice of
 * 50 lines is one order, not a burst.
 *
 * The windows and alerts are those of
 * `groupByKey().windowedBy(TimeWindows.ofSizeAndGrace(size, grace).advanceBy(advance)).aggregate(...)`
 * followed by a threshold filter: for each record, every window `[start, start + size)` that
 * contains it and has not closed (its end is past the largest timestamp this processor has
 * seen minus `grace`), in ascending start, with the window's distinct invoices and the latest
 * event time in it (the alert's timestamp). A later record is dropped from the windows that
 * closed, as there.
 *
 * Why not the windowed aggregate: its store holds one entry per window, and with windows of
 * 10 minutes advancing by 1 each record rewrites 10 of them (a changelog record each, about
 * 4 million for the data set). This store holds one entry per customer, the invoices of the
 * last `size + grace`, written only when a new (invoice, time) pair arrives (about 19,000
 * writes): every line but the first of an invoice changes no window's distinct invoices or
 * latest time. The windows are computed from those entries, the same for every record.
 *
 * CAUTION: records later than `grace` are not counted in the windows that closed, and unlike
 * the windowed aggregate this processor does not count them in the `dropped-records` metric.
 */
export class InvoiceBurstDetector implements Processor<string, CustomerInteraction, string, FraudAlert> {
  private context!: ProcessorContext<string, FraudAlert>;
  private recent!: KeyValueStore<string, RecentInvoices>;
  private readonly windows: TimeWindows;
  private readonly threshold: number;
  /** The largest timestamp this processor has seen (the windowed aggregate's "observed stream time"). */
  private observedMs = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly storeName: string,
    private readonly reason: FraudReason,
    rule: WindowRule,
  ) {
    this.windows = TimeWindows.ofSizeAndGrace(rule.size, rule.grace).advanceBy(rule.advance);
    this.threshold = rule.threshold;
  }

  init(context: ProcessorContext<string, FraudAlert>): void {
    this.context = context;
    this.recent = context.getStateStore<KeyValueStore<string, RecentInvoices>>(this.storeName);
  }

  process(record: StreamRecord<string, CustomerInteraction>): void {
    const customerId = record.key;
    if (customerId === null || customerId === undefined) return;
    const { invoiceNo } = record.value;
    const timestamp = record.timestamp;
    const { sizeMs, advanceMs, graceMs } = this.windows;
    if (timestamp > this.observedMs) this.observedMs = timestamp;
    const closeTime = this.observedMs - graceMs;

    let entries = this.recent.get(customerId) ?? [];
    const inAnOpenWindow = timestamp + sizeMs > closeTime;
    if (inAnOpenWindow && !entries.some((e) => e.invoiceNo === invoiceNo && e.timestamp === timestamp)) {
      // Entries in no open window any more go when the value is written anyway.
      entries = entries.filter((e) => e.timestamp + sizeMs > closeTime);
      entries.push({ invoiceNo, timestamp });
      this.recent.put(customerId, entries, timestamp);
    }

    for (let start = this.windows.firstWindowStart(timestamp); start <= timestamp; start += advanceMs) {
      const end = start + sizeMs;
      if (end <= closeTime) continue;
      const invoices = new Set<string>();
      let lastAt = 0;
      for (const e of entries) {
        if (e.timestamp < start || e.timestamp >= end) continue;
        invoices.add(e.invoiceNo);
        if (e.timestamp > lastAt) lastAt = e.timestamp;
      }
      if (invoices.size < this.threshold) continue;
      this.context.forward({
        key: customerId,
        value: { customerId, reasons: [this.reason], timestamp: lastAt, details: { invoices: invoices.size, windowStart: new Date(start).toISOString(), windowMinutes: sizeMs / 60_000 } },
        timestamp: lastAt,
      });
    }
  }
}
