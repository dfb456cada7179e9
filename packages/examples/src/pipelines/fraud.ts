import { Serdes, StreamsBuilder, Stores, toMillis, type Duration, type KStream, type Topology } from '@tributary/core';
import type { CustomerInteraction, FraudAlert, FraudReason } from '../data';
import { AlertCooldown } from './alertCooldown';
import { addAmount, amountStatsSerde, DEFAULT_AMOUNT_ANOMALY_RULES, emptyAmountStats, type AmountAnomalyRules } from './amountStats';
import { CountryChangeDetector, purchaseLocationSerde } from './countryChangeDetector';
import { InvoiceBurstDetector, recentInvoicesSerde, type WindowRule } from './invoiceBurstDetector';
import { customerInteractions, FRAUD_ALERTS_TOPIC, type PipelineOptions } from './topics';

/** Stores of the fraud pipeline, for `driver.getKeyValueStore` and `app.store`. */
export const FRAUD_STORES = {
  purchaseVelocity: 'purchase-velocity',
  cancellationBursts: 'cancellation-bursts',
  amountStats: 'amount-stats',
  lastLocation: 'last-purchase-location',
  cooldown: 'fraud-alert-cooldown',
} as const;

/** Options of {@link buildFraudTopology}; every rule has a default tuned on the synthetic data (see the README). */
export interface FraudOptions extends PipelineOptions {
  /** Purchase invoices per customer in a hopping window. Defaults to 5 within 10 minutes, advancing by 1, grace 1 minute. */
  velocity?: Partial<WindowRule>;
  /** Cancellation invoices per customer in a hopping window. Defaults to 5 within 15 minutes, advancing by 1, grace 1 minute. */
  cancellations?: Partial<WindowRule>;
  /** z-score rule for a purchase line's amount. Defaults to {@link DEFAULT_AMOUNT_ANOMALY_RULES}. */
  amount?: Partial<AmountAnomalyRules>;
  /** Two purchases of one customer from different countries this close together raise an alert. Defaults to `'1h'`. */
  countryChangeWithin?: Duration;
  /** One alert per customer and reason per this much event time. Defaults to `'30m'`. */
  alertCooldown?: Duration;
  /** The output topic. Defaults to `fraud_alerts`. */
  outputTopic?: string;
}

const DEFAULT_VELOCITY: WindowRule = { size: '10m', advance: '1m', grace: '1m', threshold: 5 };
const DEFAULT_CANCELLATIONS: WindowRule = { size: '15m', advance: '1m', grace: '1m', threshold: 5 };

/**
 * Fraud and anomaly detection on `customer_interactions`, alerts to `fraud_alerts`
 * ({@link FraudAlert}: customer, reasons, timestamp, details). Four detectors, each a
 * stateful operation keyed by customer (the topic's key: no repartition):
 *
 * - `velocity`: distinct purchase invoices per customer in hopping windows of 10 minutes
 *   advancing by 1, grace 1 minute ({@link InvoiceBurstDetector}, store `purchase-velocity`);
 *   5 or more in a window.
 * - `amount-anomaly`: Welford's running mean and variance of the customer's purchase
 *   line amounts (`amount-stats`); a line with z-score >= 6 that is also at least 10
 *   times the mean, after at least 5 earlier lines.
 * - `country-change`: the customer's last purchase country ({@link CountryChangeDetector},
 *   store `last-purchase-location`); a purchase from another country less than an hour after
 *   the previous one.
 * - `cancellation-burst`: distinct cancellation invoices in hopping windows of 15
 *   minutes advancing by 1 (store `cancellation-bursts`); 5 or more in a window.
 *
 * The alerts of the four are merged and pass {@link AlertCooldown}: one alert per
 * customer and reason per 30 minutes of event time.
 *
 * CAUTION: the windowed detectors drop records later than their grace (1 minute of stream
 * time by default) from the windows that closed, without counting them in the
 * `dropped-records` metric; replay out-of-order data with a larger `grace`.
 *
 * ## Example
 * ```ts
 * import { buildFraudTopology, generateSyntheticInteractions, precisionRecall } from '@tributary/examples';
 * import { TopologyTestDriver } from '@tributary/core/testing';
 *
 * const { events, incidents } = generateSyntheticInteractions();
 * using driver = new TopologyTestDriver(buildFraudTopology({ velocity: { threshold: 6 } }));
 * const input = driver.createInputTopic('customer_interactions');
 * for (const e of events) input.pipeInput(e.customerId, e, e.timestamp);
 * const alerts = driver.createOutputTopic<string, FraudAlert>('fraud_alerts').readValuesToList();
 * precisionRecall(alerts, incidents).overall; // { precision, recall, ... }
 * ```
 *
 * @param options See {@link FraudOptions}.
 * @return The topology.
 */
export function buildFraudTopology(options: FraudOptions = {}): Topology {
  const builder = new StreamsBuilder();
  addFraudDetection(customerInteractions(builder, options.inputTopic), options);
  return builder.build();
}

/** Adds the fraud pipeline to a topology that already reads `customer_interactions`. */
export function addFraudDetection(interactions: KStream<string, CustomerInteraction>, options: FraudOptions = {}): void {
  const amountRules: AmountAnomalyRules = { ...DEFAULT_AMOUNT_ANOMALY_RULES, ...options.amount };
  const countryWithinMs = toMillis(options.countryChangeWithin ?? '1h', 'countryChangeWithin');
  const cooldownMs = toMillis(options.alertCooldown ?? '30m', 'alertCooldown');

  const purchases = interactions.filter((_customer, i) => i.type === 'purchase', { name: 'fraud-purchases' });
  const cancellations = interactions.filter((_customer, i) => i.type === 'cancellation', { name: 'fraud-cancellations' });

  const velocity = purchases.process<string, FraudAlert>(() => new InvoiceBurstDetector(FRAUD_STORES.purchaseVelocity, 'velocity', { ...DEFAULT_VELOCITY, ...options.velocity }), {
    name: FRAUD_STORES.purchaseVelocity,
    stores: [Stores.keyValueStore(FRAUD_STORES.purchaseVelocity, { keySerde: Serdes.string(), valueSerde: recentInvoicesSerde, caching: true })],
  });
  const bursts = cancellations.process<string, FraudAlert>(
    () => new InvoiceBurstDetector(FRAUD_STORES.cancellationBursts, 'cancellation-burst', { ...DEFAULT_CANCELLATIONS, ...options.cancellations }),
    {
      name: FRAUD_STORES.cancellationBursts,
      stores: [Stores.keyValueStore(FRAUD_STORES.cancellationBursts, { keySerde: Serdes.string(), valueSerde: recentInvoicesSerde, caching: true })],
    },
  );

  const amounts = purchases
    .groupByKey({ name: 'amounts-by-customer' })
    .aggregate(emptyAmountStats, (_customer, purchase, stats) => addAmount(stats, purchase.amount, purchase.timestamp, amountRules), {
      name: FRAUD_STORES.amountStats,
      valueSerde: amountStatsSerde,
    })
    .toStream({ name: 'amount-stats-updates' })
    .filter((_customer, stats) => stats?.latest?.anomalous === true, { name: 'anomalous-amounts' })
    .mapValues(
      (stats, customerId): FraudAlert => {
        const v = stats.latest!;
        return alert(customerId, 'amount-anomaly', v.timestamp, {
          amount: v.amount,
          zScore: round(v.zScore!, 2),
          mean: round(v.mean, 2),
          stdDev: round(v.stdDev, 2),
          history: v.history,
        });
      },
      { name: 'amount-alerts' },
    );

  const countries = purchases.process<string, FraudAlert>(() => new CountryChangeDetector(FRAUD_STORES.lastLocation, countryWithinMs), {
    name: FRAUD_STORES.lastLocation,
    stores: [Stores.keyValueStore(FRAUD_STORES.lastLocation, { keySerde: Serdes.string(), valueSerde: purchaseLocationSerde, caching: true })],
  });

  velocity
    .merge(bursts, { name: 'merge-window-alerts' })
    .merge(amounts, { name: 'merge-amount-alerts' })
    .merge(countries, { name: 'merge-country-alerts' })
    .process<string, FraudAlert>(() => new AlertCooldown(FRAUD_STORES.cooldown, cooldownMs), {
      name: 'alert-cooldown',
      stores: [Stores.keyValueStore(FRAUD_STORES.cooldown, { keySerde: Serdes.string(), valueSerde: Serdes.json(), caching: true })],
    })
    .to(options.outputTopic ?? FRAUD_ALERTS_TOPIC, { name: 'fraud-alerts-sink', keySerde: Serdes.string(), valueSerde: Serdes.json<FraudAlert>() });
}

function alert(customerId: string, reason: FraudReason, timestamp: number, details: Record<string, unknown>): FraudAlert {
  return { customerId, reasons: [reason], timestamp, details };
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
