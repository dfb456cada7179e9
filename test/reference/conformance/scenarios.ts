// Reference scenarios: conformance (hand-written edge cases and seeded random inputs for ./topologies.ts).
import type { Scenario } from '../kafkaStreams';

export const conformanceScenarios: Scenario[] = [];
