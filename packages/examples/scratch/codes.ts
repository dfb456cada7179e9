import { loadOnlineRetail } from '../src/data/index.ts';
const { interactions } = await loadOnlineRetail();
const m = new Map<string, {n:number, d:string}>();
for (const i of interactions) if (!/^\d{5}/.test(i.stockCode)) { const e = m.get(i.stockCode) ?? {n:0, d:i.description}; e.n++; m.set(i.stockCode, e); }
console.log([...m].sort((a,b)=>b[1].n-a[1].n));
