import type { KeyValueStore, Processor, ProcessorContext, Serde, StreamRecord } from '@tributary/core';
import type { CustomerInteraction } from '../data';
import { TAB, textSerde } from './textSerde';

/** An invoice being assembled, as kept in the `open-invoices` store. */
export interface OpenInvoice {
  invoiceNo: string;
  customerId: string;
  /** The distinct stock codes of its lines, in the order they first appeared. */
  products: string[];
  /** Event time of its latest line. */
  lastLineAt: number;
}

/** An invoice whose lines have all arrived: the basket whose product pairs are counted. */
export interface ClosedInvoice {
  invoiceNo: string;
  customerId: string;
  products: string[];
  timestamp: number;
}

/**
 * Assembles purchase lines into invoices and forwards each invoice once, when it is
 * complete: when stream time has passed its latest line by `closeAfterMs`. Keyed by
 * invoice number.
 *
 * Why a processor: an invoice has no end marker, so "complete" is a matter of time. A
 * session window with `suppress(untilWindowCloses)` expresses the same idea, but it
 * would need the stream re-keyed by invoice (a repartition topic), where this processor
 * keys its store by invoice within the customer's partition. Counting pairs per complete
 * invoice instead of per line is what keeps the pair counting cheap: one record per
 * product of an invoice, rather than one per pair as lines arrive.
 *
 * Lines of one invoice share a customer, hence a partition: no repartition is needed
 * to assemble them. An invoice whose lines arrive after it closed (later than
 * `closeAfterMs`) is assembled and counted again as a new basket; in the Online Retail
 * data the lines of an invoice are at most a few minutes apart.
 */
export class InvoiceAssembler implements Processor<string, CustomerInteraction, string, ClosedInvoice> {
  private context!: ProcessorContext<string, ClosedInvoice>;
  private open!: KeyValueStore<string, OpenInvoice>;

  constructor(
    private readonly storeName: string,
    private readonly closeAfterMs: number,
    private readonly checkEveryMs: number,
  ) {}

  init(context: ProcessorContext<string, ClosedInvoice>): void {
    this.context = context;
    this.open = context.getStateStore<KeyValueStore<string, OpenInvoice>>(this.storeName);
    context.schedule(this.checkEveryMs, 'stream-time', (now) => this.closeInvoices(now));
  }

  process(record: StreamRecord<string, CustomerInteraction>): void {
    const line = record.value;
    const invoice = this.open.get(line.invoiceNo);
    if (!invoice) {
      this.open.put(line.invoiceNo, { invoiceNo: line.invoiceNo, customerId: line.customerId, products: [line.stockCode], lastLineAt: line.timestamp }, line.timestamp);
      return;
    }
    const known = invoice.products.includes(line.stockCode);
    const lastLineAt = Math.max(invoice.lastLineAt, line.timestamp);
    // Another line of a product already in the basket, no later than the latest line: nothing to write.
    if (known && lastLineAt === invoice.lastLineAt) return;
    const products = known ? invoice.products : [...invoice.products, line.stockCode];
    this.open.put(line.invoiceNo, { ...invoice, products, lastLineAt }, line.timestamp);
  }

  private closeInvoices(now: number): void {
    // The store holds only invoices of the last `closeAfterMs + checkEveryMs`: a short scan.
    if (this.open.approximateNumEntries() === 0) return;
    for (const [invoiceNo, invoice] of this.open.all()) {
      if (now - invoice.lastLineAt < this.closeAfterMs) continue;
      this.open.delete(invoiceNo, now);
      this.context.forward({
        key: invoiceNo,
        value: { invoiceNo, customerId: invoice.customerId, products: invoice.products, timestamp: invoice.lastLineAt },
        timestamp: invoice.lastLineAt,
      });
    }
  }
}

/** The `open-invoices` changelog's value: `invoiceNo \t customerId \t lastLineAt \t product \t product ...`. */
export const openInvoiceSerde: Serde<OpenInvoice> = textSerde(
  'open-invoice',
  (invoice) => `${invoice.invoiceNo}${TAB}${invoice.customerId}${TAB}${invoice.lastLineAt}${TAB}${invoice.products.join(TAB)}`,
  (text) => {
    const fields = text.split(TAB);
    return { invoiceNo: fields[0]!, customerId: fields[1]!, lastLineAt: Number(fields[2]), products: fields.slice(3) };
  },
);
