// Reference topologies: conformance (their Java twins: tools/kafka-streams-reference/src/main/java/ConformanceTopologies.java).
import type { TopologyDefinition } from '../definition';

export const conformanceTopologies: Record<string, TopologyDefinition> = {};
