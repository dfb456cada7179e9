import { loadOnlineRetail } from '../src/data/index.ts';
const { interactions } = await loadOnlineRetail();
const inv = new Map<string, string[]>();
for (const i of interactions) if (i.type === 'purchase') { let s = inv.get(i.invoiceNo); if (!s) inv.set(i.invoiceNo, s = []); if (!s.includes(i.stockCode)) s.push(i.stockCode); }
const baskets = [...inv.values()];
const which = process.argv[2];
const t0 = performance.now();
if (which === 'map') {
  const rows = new Map<string, Map<string, number>>();
  for (const b of baskets) for (const p of b) { let row = rows.get(p); if (!row) rows.set(p, row = new Map()); for (const o of b) { if (o === p) continue; row.set(o, (row.get(o) ?? 0) + 1); } }
} else if (which === 'obj') {
  const rows = new Map<string, Record<string, number>>();
  for (const b of baskets) for (const p of b) { let row = rows.get(p); if (!row) rows.set(p, row = {}); for (const o of b) { if (o === p) continue; row[o] = (row[o] ?? 0) + 1; } }
} else if (which === 'ids') {
  const ids = new Map<string, number>(); const rows = new Map<string, Int32Array>();
  for (const b of baskets) for (const p of b) { let row = rows.get(p); if (!row) rows.set(p, row = new Int32Array(8192)); for (const o of b) { if (o === p) continue; let id = ids.get(o); if (id === undefined) ids.set(o, id = ids.size); row[id]++; } }
} else if (which === 'idsPerBasket') {
  const ids = new Map<string, number>(); const rows = new Map<string, Int32Array>();
  for (const b of baskets) { const bid = b.map(o => { let id = ids.get(o); if (id === undefined) ids.set(o, id = ids.size); return id; }); for (const p of b) { let row = rows.get(p); if (!row) rows.set(p, row = new Int32Array(8192)); for (const id of bid) row[id]++; row[ids.get(p)!]--; } }
}
console.log(which, (performance.now() - t0).toFixed(0), 'ms');
