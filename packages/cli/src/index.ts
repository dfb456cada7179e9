// The public API of @tributary/cli: the module contract of `tributary describe|run|topics <module>`,
// the program itself, and the building blocks other programs (the CRM demo) reuse.
export type { TopologyModule, TopologySource, TopologyModuleOptions, TopologyInputRecord, TopologyInputs } from './module/TopologyModule';
export { loadTopologyModule, type LoadedTopology } from './module/loadTopologyModule';
export { main, cliVersion, USAGE } from './main';

// Building blocks: arguments, connection options, progress display, the run loop's pieces.
export { CliError, parseCommand, parseBrokers, parsePositiveInteger, parseDurationOption, singlePositional, noPositionals, HELP_OPTION, type ParsedCommand } from './args';
export { CONNECTION_OPTIONS, CONNECTION_HELP, ENVIRONMENT_HELP, CONNECT_TIMEOUT_MS, kafkaTarget, requireKafkaTarget, kafkaClient, connectAdmin, createKafkaApplication, type KafkaTarget } from './kafka';
export { KafkaRunner, type SerializedRecord } from './KafkaRunner';
export { ProgressDisplay, ProgressTracker, type ProgressSnapshot } from './progress';
export { caughtUp } from './run/caughtUp';
export { onStopSignal } from './run/stopSignals';
export { formatCount, formatDuration, formatTime, formatPounds, table } from './format';
export { CommitRate, type RateEstimate } from './lag/CommitRate';
