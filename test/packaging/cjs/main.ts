// The CommonJS fixture project's program (compiled with `module: node16`, so `import` becomes
// `require()`): the topology test on the installed packages, then one class for require and import.
import { strict as assert } from 'node:assert';
import { StreamsBuilder } from '@tributary/core';
import { TopologyTestDriver } from '@tributary/core/testing';
import { checkTopology } from './topology';

async function main(): Promise<void> {
  checkTopology();
  // require() loads the ES module itself: the same classes as import().
  const core = await import('@tributary/core');
  const testing = await import('@tributary/core/testing');
  assert.equal(StreamsBuilder, core.StreamsBuilder, 'require and import give different StreamsBuilder classes');
  assert.equal(TopologyTestDriver, testing.TopologyTestDriver, 'require and import give different TopologyTestDriver classes');
  assert.ok(new core.StreamsBuilder() instanceof StreamsBuilder);
  console.log('CommonJS project: topology test passed, one StreamsBuilder class for require and import');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
