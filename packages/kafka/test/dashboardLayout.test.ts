import { StreamsBuilder } from '@tributary/core';
import { describe, expect, it } from 'vitest';
import { layeredLayout, type Layout } from '../src/dashboard/layeredLayout';
import { topologyDiagram } from '../src/dashboard/topologyDiagram';
import { topologyGraph } from '../src/dashboard/topologyGraph';

const box = (id: string) => ({ id, width: 100, height: 20 });
const at = (layout: Layout, id: string) => layout.nodes.find((n) => n.id === id)!;

/** Orders whose amounts are counted per customer (a repartition), joined with a global table of customers. */
function ordersTopology() {
  const builder = new StreamsBuilder();
  const customers = builder.globalTable<string, { name: string }>('customers', { name: 'customers-store' });
  builder
    .stream<string, { customer: string; amount: number }>('orders')
    .filter((_k, o) => o.amount > 0)
    .join(customers, (_k, o) => o.customer, (o, c) => ({ ...o, name: c.name }))
    .groupBy((_k, o) => o.customer)
    .count({ name: 'orders-per-customer' })
    .toStream()
    .to('order-counts');
  return builder.build();
}

describe('layeredLayout', () => {
  it('puts each node one column right of its furthest predecessor, so every edge points right', () => {
    const layout = layeredLayout(['a', 'b', 'c', 'd'].map(box), [
      { from: 'a', to: 'b' },
      { from: 'b', to: 'c' },
      { from: 'a', to: 'c' },
      { from: 'c', to: 'd' },
    ]);
    expect(['a', 'b', 'c', 'd'].map((id) => at(layout, id).layer)).toEqual([0, 1, 2, 3]);
    for (const edge of layout.edges) expect(edge.points[0]![0]).toBeLessThan(edge.points[1]![0]);
    expect(layout.width).toBe(4 * 100 + 3 * 48);
  });

  it('orders a column by the rows of its predecessors, which undoes a crossing', () => {
    // Given in crossing order: x1 feeds y2 and x2 feeds y1.
    const layout = layeredLayout(['x1', 'x2', 'y1', 'y2'].map(box), [
      { from: 'x1', to: 'y2' },
      { from: 'x2', to: 'y1' },
    ]);
    expect(at(layout, 'y2').y).toBeLessThan(at(layout, 'y1').y);
    const [first, second] = layout.edges;
    // Both edges run level: no crossing.
    expect(first!.points[0]![1]).toBe(first!.points[1]![1]);
    expect(second!.points[0]![1]).toBe(second!.points[1]![1]);
  });

  it('stacks a column with gaps, centred on the tallest column, without overlaps', () => {
    const layout = layeredLayout(['r', 'a', 'b', 'c', 's'].map(box), [
      { from: 'r', to: 'a' },
      { from: 'r', to: 'b' },
      { from: 'r', to: 'c' },
      { from: 'a', to: 's' },
    ]);
    expect(layout.height).toBe(3 * 20 + 2 * 14);
    const column = ['a', 'b', 'c'].map((id) => at(layout, id)).sort((p, q) => p.y - q.y);
    for (let i = 1; i < column.length; i++) expect(column[i]!.y).toBe(column[i - 1]!.y + 20 + 14);
    expect(at(layout, 'r').y).toBe((layout.height - 20) / 2);
  });

  it('places a node on a cycle without looping, and names an edge to an unknown node', () => {
    const layout = layeredLayout(['a', 'b'].map(box), [
      { from: 'a', to: 'b' },
      { from: 'b', to: 'a' },
    ]);
    expect(layout.nodes).toHaveLength(2);
    expect(layout.edges).toHaveLength(2);
    expect(() => layeredLayout([box('a')], [{ from: 'a', to: 'ghost' }])).toThrow("the edge a -> ghost names 'ghost', which is not a node of the layout");
  });
});

describe('topologyGraph', () => {
  it('shows each sub-topology with its source, sink, repartition and changelog topics and its stores', () => {
    const graphs = topologyGraph(ordersTopology(), { applicationId: 'shop' });
    expect(graphs.map((g) => [g.id, g.global])).toEqual([
      [0, true],
      [1, false],
      [2, false],
    ]);
    const [global, upstream, downstream] = graphs;
    const topics = (g: (typeof graphs)[number]) => g.nodes.filter((n) => n.kind === 'topic').map((n) => [n.label, n.topicRole]);
    expect(topics(global!)).toEqual([['customers', 'source']]);
    expect(global!.nodes.filter((n) => n.kind === 'store').map((n) => n.label)).toEqual(['customers-store']);
    const repartition = 'shop-orders-per-customer-repartition';
    expect(topics(upstream!)).toEqual([
      ['orders', 'source'],
      [repartition, 'repartition'],
    ]);
    expect(topics(downstream!)).toEqual(expect.arrayContaining([[repartition, 'repartition'], ['shop-orders-per-customer-changelog', 'changelog'], ['order-counts', 'sink']]));
    expect(downstream!.nodes.find((n) => n.kind === 'store')).toMatchObject({ id: 'store:orders-per-customer', storeKind: 'keyValue' });
    expect(downstream!.edges).toContainEqual({ from: 'store:orders-per-customer', to: 'topic:shop-orders-per-customer-changelog', kind: 'changelog' });
    // Every edge joins two nodes of its own sub-topology.
    for (const g of graphs) for (const e of g.edges) expect(g.nodes.map((n) => n.id)).toEqual(expect.arrayContaining([e.from, e.to]));
  });

  it('names internal topics as declared without an application id', () => {
    const labels = topologyGraph(ordersTopology()).flatMap((g) => g.nodes.map((n) => n.label));
    expect(labels).toContain('orders-per-customer-repartition');
    expect(labels).toContain('orders-per-customer-changelog');
  });
});

describe('topologyDiagram', () => {
  it('stacks the sub-topologies in frames of one width, every node inside its frame', () => {
    const diagram = topologyDiagram(ordersTopology(), { applicationId: 'shop' });
    expect(diagram.groups.map((g) => g.title)).toEqual(['Sub-topology 0: global store customers-store', 'Sub-topology 1', 'Sub-topology 2']);
    for (const g of diagram.groups) {
      expect(g.width).toBe(diagram.width);
      for (const n of g.nodes) {
        expect(n.x).toBeGreaterThanOrEqual(g.x);
        expect(n.x + n.width).toBeLessThanOrEqual(g.x + g.width);
        expect(n.y).toBeGreaterThan(g.y);
        expect(n.y + n.height).toBeLessThanOrEqual(g.y + g.height);
      }
    }
    for (let i = 1; i < diagram.groups.length; i++) expect(diagram.groups[i]!.y).toBeGreaterThanOrEqual(diagram.groups[i - 1]!.y + diagram.groups[i - 1]!.height);
    expect(diagram.height).toBe(diagram.groups.at(-1)!.y + diagram.groups.at(-1)!.height);
    expect(diagram.topics.map((t) => t.name).sort()).toEqual(['customers', 'order-counts', 'orders', 'shop-orders-per-customer-changelog', 'shop-orders-per-customer-repartition']);
    expect(diagram.stores).toEqual([
      { name: 'customers-store', kind: 'keyValue' },
      { name: 'orders-per-customer', kind: 'keyValue' },
    ]);
  });
});
