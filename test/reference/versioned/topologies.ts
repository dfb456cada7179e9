// Reference topologies: versioned (their Java twins: tools/kafka-streams-reference/src/main/java/VersionedTopologies.java).
import type { TopologyDefinition } from '../definition';

export const versionedTopologies: Record<string, TopologyDefinition> = {};
