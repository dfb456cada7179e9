// Reference scenarios: process (hand-written edge cases and seeded random inputs for ./topologies.ts).
import type { Scenario } from '../kafkaStreams';

export const processScenarios: Scenario[] = [];
