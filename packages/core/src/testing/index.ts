// @tributary/core/testing: run topologies without a broker, for unit tests.
export { TopologyTestDriver, type TopologyTestDriverConfig } from './TopologyTestDriver';
export { TestInputTopic, type TestInputTopicOptions, type TestRecord } from './TestInputTopic';
export { TestOutputTopic, type TestOutputTopicOptions, type TestOutputRecord } from './TestOutputTopic';
// Serdes that look things up before they work (a Schema Registry's): await this before creating the driver.
export { prepareSerdes, type PrepareSerdesOptions } from '../runtime/prepareSerdes';
