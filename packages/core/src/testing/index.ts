// @tributary/core/testing: run topologies without a broker, for unit tests.
export { TopologyTestDriver, type TopologyTestDriverConfig } from './TopologyTestDriver';
export { TestInputTopic, type TestInputTopicOptions, type TestRecord } from './TestInputTopic';
export { TestOutputTopic, type TestOutputTopicOptions, type TestOutputRecord } from './TestOutputTopic';
