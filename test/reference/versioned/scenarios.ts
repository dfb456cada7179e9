// Reference scenarios: versioned (hand-written edge cases and seeded random inputs for ./topologies.ts).
import type { Scenario } from '../kafkaStreams';

export const versionedScenarios: Scenario[] = [];
