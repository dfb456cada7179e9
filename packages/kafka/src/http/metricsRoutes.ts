import type { PrometheusExporter } from '../metrics/PrometheusExporter';
import type { Route } from './Router';

/** `GET /metrics`: the application's metrics in Prometheus' text format. */
export function metricsRoutes(exporter: PrometheusExporter): Route[] {
  return [
    {
      method: 'GET',
      path: '/metrics',
      description: 'Prometheus metrics',
      handler: async () => ({ status: 200, headers: { 'content-type': exporter.contentType }, body: await exporter.metrics() }),
    },
  ];
}
