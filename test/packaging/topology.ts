// The topology test of the packed-install check (scripts/packed-install.sh), the same source in
// the ESM fixture project and in the CommonJS one, where `import` compiles to `require()`. It runs
// on the packages installed from their tarballs, with the peer dependencies installed beside them.
import { strict as assert } from 'node:assert';
import { from } from 'rxjs';
import { Serdes, StreamsBuilder, type Topology } from '@tributary/core';
import { TopologyTestDriver } from '@tributary/core/testing';
import { KafkaStreams } from '@tributary/kafka';
import { buildSegmentationTopology } from '@tributary/examples';
import { MAGIC_BYTE } from '@tributary/schema-registry';

interface Interaction {
  customer: string;
  channel: 'web' | 'app' | 'store';
  amount: number;
}

/** Purchases per channel: a filter, a mapValues and a count, read back through the TopologyTestDriver. */
export function purchasesPerChannel(): Topology {
  const builder = new StreamsBuilder();
  builder
    .stream('interactions', { valueSerde: Serdes.json<Interaction>() })
    .filter((_customer, interaction) => interaction.amount > 0)
    .mapValues((interaction): string => interaction.channel)
    .groupBy((_customer, channel) => channel, { keySerde: Serdes.string(), valueSerde: Serdes.string() })
    .count({ name: 'purchases-per-channel' })
    .toStream()
    .to('channel-counts', { keySerde: Serdes.string(), valueSerde: Serdes.number() });
  return builder.build();
}

export function checkTopology(): void {
  const driver = new TopologyTestDriver(purchasesPerChannel());
  try {
    const input = driver.createInputTopic<string, Interaction>('interactions');
    const output = driver.createOutputTopic<string, number>('channel-counts');
    input.pipeInput('ann', { customer: 'ann', channel: 'web', amount: 30 });
    input.pipeInput('bob', { customer: 'bob', channel: 'store', amount: 0 }); // filtered out: no purchase
    // The application's own rxjs Observable: rxjs is a peer dependency, so it is the one Tributary uses.
    input.pipeObservable(
      from([
        { key: 'cid', value: { customer: 'cid', channel: 'web' as const, amount: 12 } },
        { key: 'dee', value: { customer: 'dee', channel: 'app' as const, amount: 5 } },
      ]),
    );
    assert.deepEqual(output.readKeyValuesToList(), [
      ['web', 1],
      ['web', 2],
      ['app', 1],
    ]);
    assert.equal(driver.getKeyValueStore<string, number>('purchases-per-channel').get('web'), 2);
    assert.equal(driver.getKeyValueStore<string, number>('purchases-per-channel').get('store'), undefined);
  } finally {
    driver.close();
  }

  // @tributary/kafka links against the installed kafkajs; nothing connects until start().
  const app = new KafkaStreams(purchasesPerChannel(), { applicationId: 'packed-install', brokers: '127.0.0.1:1' });
  assert.equal(app.state, 'CREATED');
  // @tributary/examples loads with its dependencies.
  assert.match(buildSegmentationTopology().describe().toString(), /Sub-topology: 0/);
  // @tributary/schema-registry loads with its dependencies (avsc, protobufjs, ajv).
  assert.equal(MAGIC_BYTE, 0);
}
