// The CRM topology on the embedded engine (@tributary/core/embedded): the same stores and
// outputs as the TopologyTestDriver, on 4 partitions.
import { silentLogger, type Topology } from '@tributary/core';
import { EmbeddedStreams, type EmbeddedStreamsConfig } from '@tributary/core/embedded';
import { TopologyTestDriver } from '@tributary/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  buildCrmTopology,
  CO_PURCHASE_COUNTS_STORE,
  CRM_APPLICATION_ID,
  loadOnlineRetail,
  RFM_PROFILES_STORE,
  type CoPurchaseRow,
  type CustomerInteraction,
  type RfmProfile,
} from '../../src';

const ROWS = 5000;
let rows: CustomerInteraction[];
beforeAll(async () => {
  rows = (await loadOnlineRetail(undefined, { limit: ROWS })).interactions;
});

function records(interactions: readonly CustomerInteraction[]) {
  return interactions.map((i) => ({ key: i.customerId, value: i, timestamp: i.timestamp }));
}

/** An application closed at the end of the test's scope. */
function app(topology: Topology, config: Partial<EmbeddedStreamsConfig> = {}) {
  const streams = new EmbeddedStreams(topology, { applicationId: CRM_APPLICATION_ID, logger: silentLogger, ...config });
  return Object.assign(streams, { [Symbol.asyncDispose]: () => streams.close() });
}

describe('the CRM topology on EmbeddedStreams', () => {
  it('runs the CRM topology on 4 partitions to the same stores as the test driver', async () => {
    await using streams = app(buildCrmTopology(), { partitions: 4 });
    await streams.start();
    streams.produce('customer_interactions', records(rows));
    await streams.whenCaughtUp();

    using driver = new TopologyTestDriver(buildCrmTopology(), { defaultPartitions: 4, logger: silentLogger });
    const input = driver.createInputTopic<string, CustomerInteraction>('customer_interactions');
    for (const i of rows) input.pipeInput(i.customerId, i, i.timestamp);

    const expected = driver.getKeyValueStore<string, RfmProfile>(RFM_PROFILES_STORE).all();
    expect(streams.store<string, RfmProfile>(RFM_PROFILES_STORE).all()).toEqual(expected);
    expect(expected.length).toBeGreaterThan(100);
    const rowsOf = (entries: readonly (readonly [string, CoPurchaseRow])[]) => entries.map(([product, row]) => [product, row.entries()]);
    expect(rowsOf(streams.store<string, CoPurchaseRow>(CO_PURCHASE_COUNTS_STORE).all())).toEqual(rowsOf(driver.getKeyValueStore<string, CoPurchaseRow>(CO_PURCHASE_COUNTS_STORE).all()));
    expect(streams.read('customer_segments').length).toBe(driver.createOutputTopic('customer_segments').getQueueSize());
    // Partitions interleave differently in the two runtimes: compare the alerts as sets.
    const sorted = (alerts: unknown[]) => alerts.map((a) => JSON.stringify(a)).sort();
    const alerts = sorted(streams.read('fraud_alerts').map((r) => r.value));
    expect(alerts).toEqual(sorted(driver.createOutputTopic('fraud_alerts').readValuesToList()));
    expect(alerts.length).toBeGreaterThan(3);
  }, 30_000);
});
