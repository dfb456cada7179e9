import { loadOnlineRetail } from '../src/data/index.ts';
const { interactions } = await loadOnlineRetail();
const inv = new Map<string, string[]>();
for (const i of interactions) if (i.type === 'purchase') { let s = inv.get(i.invoiceNo); if (!s) inv.set(i.invoiceNo, s = []); if (!s.includes(i.stockCode)) s.push(i.stockCode); }
const baskets = [...inv.values()];
function run(label: string, prep: (b: string[]) => string[]) {
  const rows = new Map<string, Map<string, number>>();
  const t0 = performance.now();
  for (const b0 of baskets) {
    for (const p of b0) {
      const b = prep(b0);
      let row = rows.get(p); if (!row) rows.set(p, row = new Map());
      for (const o of b) { if (o === p) continue; row.set(o, (row.get(o) ?? 0) + 1); }
    }
  }
  console.log(label, (performance.now() - t0).toFixed(0), 'ms');
}
run('same strings', (b) => b);
run('fresh via split', (b) => b.join('|').split('|'));
run('fresh via JSON', (b) => JSON.parse(JSON.stringify(b)));
const pool = new Map<string, string>();
run('interned split', (b) => b.join('|').split('|').map((s) => { let x = pool.get(s); if (x === undefined) { pool.set(s, s); x = s; } return x; }));
// serialization costs
let t0 = performance.now(); let n = 0;
for (const b of baskets) for (const p of b) { n += Buffer.from(JSON.stringify({ invoiceNo: 'x', products: b })).length; }
console.log('json+buffer ser', (performance.now() - t0).toFixed(0), n);
t0 = performance.now(); n = 0;
for (const b of baskets) for (const p of b) { n += Buffer.from('x|' + b.join('|')).length; }
console.log('joined ser', (performance.now() - t0).toFixed(0), n);
