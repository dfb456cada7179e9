// Differential test against Apache Kafka Streams 4.4.0: every scenario runs in Kafka Streams'
// own TopologyTestDriver (tools/kafka-streams-reference, one JVM for all scenarios, caches
// off) and in Tributary's TopologyTestDriver; the output topics must be identical record by
// record (key, value, timestamp), and describe() must print Kafka Streams' text. No broker.
import { Serdes, silentLogger } from '@tributary/core';
import { TopologyTestDriver } from '@tributary/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildReference, runReference, type OutputRecord, type ReferenceResult, type Scenario } from './kafkaStreams';
import { scenarios } from './scenarios';
import { topologies } from './topologies';

/** Runs a scenario in Tributary and prints its outputs as the Java side does. */
function runTributary(scenario: Scenario): Record<string, OutputRecord[]> {
  const definition = topologies[scenario.topology]!;
  // As the reference: string keys and values unless a topology says otherwise, one partition per topic.
  using driver = new TopologyTestDriver(definition.build(), {
    defaultKeySerde: Serdes.string(),
    defaultValueSerde: Serdes.string(),
    initialWallClockTime: 0,
    logger: silentLogger,
  });
  for (const input of scenario.inputs) {
    if ('advanceWallClockMs' in input) {
      driver.advanceWallClockTime(input.advanceWallClockMs);
      continue;
    }
    driver.createInputTopic<string, string>(input.topic).pipeInput(input.key, input.value, input.timestamp);
  }
  const outputs: Record<string, OutputRecord[]> = {};
  for (const topic of scenario.outputs) {
    const format = definition.outputs[topic]!;
    const records = driver.createOutputTopic(topic, { keySerde: format.keySerde, valueSerde: format.valueSerde }).readRecordsToList();
    outputs[topic] = records.map((record) => ({
      key: format.formatKey(record.key),
      value: record.value as string | number | null,
      timestamp: record.timestamp,
    }));
  }
  return outputs;
}

const show = (record: OutputRecord | undefined) =>
  record ? `${JSON.stringify(record.key)} -> ${JSON.stringify(record.value)} @${record.timestamp}` : '(none)';

/** The first difference per topic, with the records around it, or [] when the outputs are identical. */
function differences(kafka: Record<string, OutputRecord[]>, tributary: Record<string, OutputRecord[]>): string[] {
  const found: string[] = [];
  for (const topic of Object.keys(kafka)) {
    const expected = kafka[topic] ?? [];
    const actual = tributary[topic] ?? [];
    const length = Math.max(expected.length, actual.length);
    for (let i = 0; i < length; i++) {
      if (JSON.stringify(expected[i]) === JSON.stringify(actual[i])) continue;
      const context = [];
      for (let j = Math.max(0, i - 2); j <= Math.min(length - 1, i + 2); j++) {
        context.push(`  #${j}${j === i ? '*' : ' '} kafka: ${show(expected[j])}   tributary: ${show(actual[j])}`);
      }
      found.push(`topic '${topic}': ${expected.length} records in Kafka Streams, ${actual.length} in Tributary; first difference at #${i}\n${context.join('\n')}`);
      break;
    }
  }
  return found;
}

describe('Tributary against Kafka Streams 4.4.0 (TopologyTestDriver, caches off)', () => {
  const results = new Map<string, ReferenceResult>();

  beforeAll(async () => {
    // The first build downloads Kafka Streams from Maven Central; later runs reuse target/.
    await buildReference(5 * 60_000);
    const reference = await runReference(scenarios, 2 * 60_000);
    scenarios.forEach((scenario, i) => results.set(scenario.name, reference[i]!));
  }, 8 * 60_000);

  describe('outputs are identical record by record', () => {
    it.each(scenarios.map((s) => [s.name, s] as const))('%s', (_name, scenario) => {
      const reference = results.get(scenario.name)!;
      expect(reference.error, `Kafka Streams failed on '${scenario.name}'`).toBeUndefined();
      const tributary = runTributary(scenario);
      const diff = differences(reference.outputs, tributary);
      expect(diff, diff.join('\n')).toEqual([]);
      expect(tributary).toEqual(reference.outputs);
    });

    it('the scenarios produce output on every topic', () => {
      // Guards the test itself: a topology or input mistake that silences a topic would make it vacuous.
      const silent: string[] = [];
      for (const topology of Object.keys(topologies)) {
        const runs = scenarios.filter((s) => s.topology === topology).map((s) => results.get(s.name)!);
        for (const topic of Object.keys(topologies[topology]!.outputs)) {
          if (!runs.some((run) => (run.outputs?.[topic]?.length ?? 0) > 0)) silent.push(`${topology}/${topic}`);
        }
      }
      expect(silent).toEqual([]);
    });
  });

  describe("describe() prints Kafka Streams' text", () => {
    const claimed = Object.entries(topologies).filter(([, t]) => t.describe === true);
    it.each(claimed.map(([name]) => [name] as const))('%s', (name) => {
      const scenario = scenarios.find((s) => s.topology === name)!;
      const reference = results.get(scenario.name)!;
      expect(topologies[name]!.build().describe().toString()).toBe(reference.describe);
    });
  });
});
