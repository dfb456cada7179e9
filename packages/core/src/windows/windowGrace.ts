import { TopologyError } from '../errors';
import type { GraphNode } from '../graph/GraphNode';

/** The close-time slack of each windowed aggregation node: grace (sessions: gap + grace). */
const graceByNode = new WeakMap<GraphNode, number>();

/** @internal marks `node` as a windowed aggregation whose windows close `graceMs` after their end. */
export function registerWindowGrace(node: GraphNode, graceMs: number): void {
  graceByNode.set(node, graceMs);
}

/**
 * @internal the grace `suppress(untilWindowCloses)` waits for: that of the windowed
 * aggregation upstream of `node`, the largest one when several feed it (Kafka Streams'
 * `GraphGraceSearchUtil`).
 */
export function findWindowGrace(node: GraphNode, chain: string[] = []): number {
  const own = graceByNode.get(node);
  if (own !== undefined) return own;
  const path = [node.name, ...chain];
  if (node.parents.length === 0) {
    throw new TopologyError(`suppress(untilWindowCloses) needs a windowed table: no windowed aggregation upstream of [${path.join(' -> ')}]`);
  }
  return Math.max(...node.parents.map((parent) => findWindowGrace(parent, path)));
}
