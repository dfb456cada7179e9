import type { KeyValueStore, Processor, ProcessorContext, StreamRecord } from '@tributary/core';
import type { FraudAlert, FraudReason } from '../data';

/** When each reason last raised an alert for a customer: the `fraud-alert-cooldown` store's value. */
export type LastAlerts = Partial<Record<FraudReason, number>>;

/**
 * Lets through one alert per customer and reason per `cooldownMs` of event time, so an
 * incident raises one alert rather than one per record or per overlapping window (a
 * hopping window of 10 minutes advancing by 1 puts each record in 10 windows). An alert
 * with several reasons passes with the reasons still fresh; one with none left is dropped.
 *
 * Why a processor: "have I alerted this customer for this lately?" is state read and
 * written per alert, keyed by customer, with the decision depending on the alert's own
 * timestamp; no aggregate expresses "forward only if".
 */
export class AlertCooldown implements Processor<string, FraudAlert, string, FraudAlert> {
  private context!: ProcessorContext<string, FraudAlert>;
  private last!: KeyValueStore<string, LastAlerts>;

  constructor(
    private readonly storeName: string,
    private readonly cooldownMs: number,
  ) {}

  init(context: ProcessorContext<string, FraudAlert>): void {
    this.context = context;
    this.last = context.getStateStore<KeyValueStore<string, LastAlerts>>(this.storeName);
  }

  process(record: StreamRecord<string, FraudAlert>): void {
    const alert = record.value;
    const previous = this.last.get(record.key) ?? {};
    const fresh = alert.reasons.filter((reason) => {
      const at = previous[reason];
      return at === undefined || alert.timestamp - at >= this.cooldownMs;
    });
    if (fresh.length === 0) return;
    const updated: LastAlerts = { ...previous };
    for (const reason of fresh) updated[reason] = alert.timestamp;
    this.last.put(record.key, updated, alert.timestamp);
    this.context.forward({ key: record.key, value: fresh.length === alert.reasons.length ? alert : { ...alert, reasons: fresh }, timestamp: alert.timestamp });
  }
}
