import type { KeyValueStore, Processor, ProcessorContext, StreamRecord } from '@tributary/core';
import type { CustomerInteraction } from '../data';
import { compositeKey } from './compositeKey';
import { addToRfmProfile, emptyRfmProfile, type RfmProfile } from './rfm';

/**
 * Keeps each customer's {@link RfmProfile} in `rfm-profiles` and forwards every updated
 * profile (what `groupByKey().aggregate(...).toStream()` would do), counting distinct
 * purchase invoices with a second store, `customer-invoices`: key `customerId|invoiceNo`,
 * value the event time of the invoice's first line, written once per invoice.
 *
 * Why a processor and not an aggregate: an aggregator sees one store, and a profile that
 * listed its invoices itself grew with every invoice and was rewritten, list and all, on
 * every line. Here each line writes the profile (a few numbers) and each new invoice one
 * small entry.
 */
export class RfmProfiler implements Processor<string, CustomerInteraction, string, RfmProfile> {
  private context!: ProcessorContext<string, RfmProfile>;
  private profiles!: KeyValueStore<string, RfmProfile>;
  private invoices!: KeyValueStore<string, number>;

  constructor(
    private readonly profileStore: string,
    private readonly invoiceStore: string,
  ) {}

  init(context: ProcessorContext<string, RfmProfile>): void {
    this.context = context;
    this.profiles = context.getStateStore<KeyValueStore<string, RfmProfile>>(this.profileStore);
    this.invoices = context.getStateStore<KeyValueStore<string, number>>(this.invoiceStore);
  }

  process(record: StreamRecord<string, CustomerInteraction>): void {
    const { key: customerId, value: interaction, timestamp } = record;
    if (customerId === null || customerId === undefined || interaction === null || interaction === undefined) return;
    let newInvoice = false;
    if (interaction.type === 'purchase') {
      const invoiceKey = compositeKey(customerId, interaction.invoiceNo);
      newInvoice = this.invoices.get(invoiceKey) === undefined;
      if (newInvoice) this.invoices.put(invoiceKey, timestamp, timestamp);
    }
    const profile = addToRfmProfile(customerId, interaction, this.profiles.get(customerId) ?? emptyRfmProfile(), newInvoice);
    this.profiles.put(customerId, profile, timestamp);
    this.context.forward({ key: customerId, value: profile });
  }
}
