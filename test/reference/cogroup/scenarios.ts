// Reference scenarios: cogroup (hand-written edge cases and seeded random inputs for ./topologies.ts).
import type { Scenario } from '../kafkaStreams';

export const cogroupScenarios: Scenario[] = [];
