import { StreamsBuilder } from '@tributary/core';
import { TopologyTestDriver } from '@tributary/core/testing';
import { loadOnlineRetail } from '../src/data/index.ts';
const { interactions } = await loadOnlineRetail();
for (const variant of ['filter-count', 'repartition-count']) {
  const builder = new StreamsBuilder();
  const s = builder.stream<string, any>('customer_interactions');
  if (variant === 'filter-count') s.filter((_k, v) => v.type === 'purchase').groupByKey().count({ name: 'c', store: { logging: false } });
  else s.groupBy((_k, v) => v.stockCode).count({ name: 'c', store: { logging: false } });
  const driver = new TopologyTestDriver(builder.build());
  const input = driver.createInputTopic<string, any>('customer_interactions');
  const t0 = performance.now();
  for (const i of interactions) input.pipeInput(i.customerId, i, i.timestamp);
  console.log(variant, (performance.now() - t0).toFixed(0), 'ms');
}
