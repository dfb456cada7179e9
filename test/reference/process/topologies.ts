// Reference topologies: process (their Java twins: tools/kafka-streams-reference/src/main/java/ProcessTopologies.java).
import type { TopologyDefinition } from '../definition';

export const processTopologies: Record<string, TopologyDefinition> = {};
