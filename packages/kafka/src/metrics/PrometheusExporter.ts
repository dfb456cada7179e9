import { Counter, Gauge, Registry } from 'prom-client';
import { PROMETHEUS_METRICS, type MetricsScrape, type PrometheusMetric } from './prometheusMetrics';

/**
 * The application's metrics in Prometheus' text format, through `prom-client`. Each
 * application has a registry of its own (never prom-client's global one), so two
 * applications in one process do not clash. Nothing is recorded per record: a scrape reads
 * one snapshot (`scrape()`, taken once per scrape) in the metrics' collect callbacks.
 */
export class PrometheusExporter {
  readonly registry = new Registry();
  private current: MetricsScrape | undefined;

  constructor(
    private readonly scrape: () => MetricsScrape,
    labels: { readonly application_id: string; readonly client_id: string },
    metrics: readonly PrometheusMetric[] = PROMETHEUS_METRICS,
  ) {
    this.registry.setDefaultLabels(labels);
    const snapshot = () => this.snapshot();
    for (const metric of metrics) {
      const config = { name: metric.name, help: metric.help, labelNames: [...metric.labels], registers: [this.registry] };
      if (metric.type === 'gauge') {
        new Gauge({
          ...config,
          collect() {
            this.reset();
            for (const { labels, value } of metric.samples(snapshot())) this.set(labels, value);
          },
        });
      } else {
        new Counter({
          ...config,
          collect() {
            this.reset();
            for (const { labels, value } of metric.samples(snapshot())) this.inc(labels, value);
          },
        });
      }
    }
  }

  /** The text a scrape gets. */
  metrics(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** One snapshot for all the collect callbacks of a scrape: they run in the same turn of the event loop. */
  private snapshot(): MetricsScrape {
    if (!this.current) {
      this.current = this.scrape();
      setImmediate(() => (this.current = undefined));
    }
    return this.current;
  }
}
