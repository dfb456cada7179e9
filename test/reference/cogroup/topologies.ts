// Reference topologies: cogroup (their Java twins: tools/kafka-streams-reference/src/main/java/CogroupTopologies.java).
import type { TopologyDefinition } from '../definition';

export const cogroupTopologies: Record<string, TopologyDefinition> = {};
