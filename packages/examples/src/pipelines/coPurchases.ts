import type { KeyValueStore, ReadOnlyKeyValueStore } from '@tributary/core';
import { firstPart } from './compositeKey';
import { TAB } from './textSerde';

/**
 * Dense numbers for stock codes, so that a co-purchase row counts in an array instead of
 * a hash map: the whole data set has about 4,000 products, and a row of counts indexed by
 * them is small and cache-friendly, where 4.4 million map entries across rows are not.
 * Shared by every row of the process; a pure cache (append-only, never persisted: every
 * accessor speaks stock codes).
 */
class ProductIndex {
  private readonly ids = new Map<string, number>();
  private readonly codes: string[] = [];

  id(code: string): number {
    let id = this.ids.get(code);
    if (id === undefined) {
      id = this.codes.length;
      this.ids.set(code, id);
      this.codes.push(code);
    }
    return id;
  }

  existingId(code: string): number | undefined {
    return this.ids.get(code);
  }

  code(id: number): string {
    return this.codes[id]!;
  }
}

const productIndex = new ProductIndex();

/**
 * One product's row of the `co-purchase-counts` store: with how many invoices each other
 * product shared a basket, and the products ranked first by that count. Derived from the
 * product's entries in `co-purchase-baskets` (see {@link CoPurchaseCounter}), never written
 * to a changelog itself.
 */
export class CoPurchaseRow {
  private counts = new Int32Array(64);
  /**
   * The `topSize` most co-purchased stock codes, best first: by count, ties by stock code
   * ascending. Kept exact on every increment, so a lookup never sorts the counts.
   */
  readonly top: string[] = [];

  /** Invoices that contained both this product and `stockCode`. */
  count(stockCode: string): number {
    const id = productIndex.existingId(stockCode);
    return id === undefined ? 0 : (this.counts[id] ?? 0);
  }

  /** Every co-purchased product with its count (non-zero only). */
  entries(): Map<string, number> {
    const result = new Map<string, number>();
    this.counts.forEach((n, id) => {
      if (n > 0) result.set(productIndex.code(id), n);
    });
    return result;
  }

  /** Sets the count of `stockCode`, without re-ranking (for restoring a row). */
  setCount(stockCode: string, n: number): void {
    const id = productIndex.id(stockCode);
    this.ensure(id);
    this.counts[id] = n;
  }

  /**
   * Counts one basket containing `product`: +1 for every other product in it, and the
   * ranking kept up to date.
   */
  addBasket(product: string, products: readonly string[], topSize: number): void {
    let floor = this.rankingFloor(topSize);
    for (const other of products) {
      if (other === product) continue;
      const id = productIndex.id(other);
      if (id >= this.counts.length) this.ensure(id);
      const count = ++this.counts[id]!;
      // A ranked product counts at least `floor`; one below it is not ranked and cannot enter.
      if (count >= floor && this.rerank(other, count, topSize)) floor = this.rankingFloor(topSize);
    }
  }

  /** The count of the last product of a full ranking (what a newcomer must match); 0 when not full. */
  private rankingFloor(topSize: number): number {
    return this.top.length < topSize ? 0 : this.count(this.top[this.top.length - 1]!);
  }

  /**
   * Moves `product` (whose count just went up by one) to its place in the ranking. Counts
   * only grow, so only this product can move, and only upwards: insert it if it now beats
   * the last entry, then bubble it up. Returns whether it is in the ranking.
   */
  private rerank(product: string, count: number, topSize: number): boolean {
    const top = this.top;
    let i = top.indexOf(product);
    if (i < 0) {
      if (top.length < topSize) {
        top.push(product);
      } else {
        const last = top[top.length - 1]!;
        if (!before(product, count, last, this.count(last))) return false;
        top[top.length - 1] = product;
      }
      i = top.length - 1;
    }
    while (i > 0) {
      const above = top[i - 1]!;
      if (!before(product, count, above, this.count(above))) break;
      top[i - 1] = product;
      top[i] = above;
      i--;
    }
    return true;
  }

  private ensure(id: number): void {
    if (id < this.counts.length) return;
    let size = this.counts.length;
    while (size <= id) size *= 2;
    const grown = new Int32Array(size);
    grown.set(this.counts);
    this.counts = grown;
  }
}

/** Whether `a` (with `countA`) ranks before `b`: higher count first, then lower stock code. */
function before(a: string, countA: number, b: string, countB: number): boolean {
  return countA > countB || (countA === countB && a < b);
}

/** What a product's row receives: one complete invoice that contained it. */
export interface BasketForProduct {
  invoiceNo: string;
  /** Every distinct product of the invoice, this one included. */
  products: string[];
}

/** The row of a product seen in no basket yet. */
export function emptyCoPurchaseRow(): CoPurchaseRow {
  return new CoPurchaseRow();
}

/**
 * Counts one invoice into `product`'s row.
 *
 * The row is updated in place and returned: a popular product's row has thousands of
 * counts, and copying it for every invoice would cost more than all the rest of the
 * pipeline. That is safe because the row is reached only through its in-memory store,
 * which has no changelog.
 */
export function addBasket(product: string, basket: BasketForProduct, row: CoPurchaseRow, topSize: number): CoPurchaseRow {
  row.addBasket(product, basket.products, topSize);
  return row;
}

/** A recommendation candidate: a product and how many invoices it shared with the one bought. */
export interface CoPurchaseCandidate {
  stockCode: string;
  coPurchases: number;
}

/** The ranked candidates of a row, best first, as two parallel arrays (fewer objects than one per candidate). */
export function rankedCandidates(row: CoPurchaseRow): { candidates: string[]; coPurchases: number[] } {
  const candidates = row.top.slice();
  const coPurchases = candidates.map((code) => row.count(code));
  return { candidates, coPurchases };
}

/**
 * The other products of one basket of a product, the value of the `co-purchase-baskets` store
 * (key `stockCode|invoiceNo`): stock codes separated by tabs, as the changelog carries them. One
 * string rather than an array: the store holds every basket of the data set, and 385,000
 * strings cost the garbage collector far less than 18 million. An invoice counted twice (lines
 * that came after it closed) lists the partners of both baskets.
 */
export type BasketPartners = string;

/** The stock codes of a {@link BasketPartners}. */
export function partnersOf(partners: BasketPartners): string[] {
  return partners === '' ? [] : partners.split(TAB);
}

/**
 * Rebuilds the rows of `co-purchase-counts` from `co-purchase-baskets` when a task starts
 * with baskets but no rows: after its stores were restored from their changelogs (or opened
 * from disk), since the rows are derived and kept in memory only. Does nothing otherwise.
 *
 * @param baskets `stockCode|invoiceNo` -> the other products of the basket.
 * @param counts Stock code -> its row; filled here.
 * @param topSize Products ranked per row.
 */
export function rebuildCoPurchaseCounts(baskets: ReadOnlyKeyValueStore<string, BasketPartners>, counts: KeyValueStore<string, CoPurchaseRow>, topSize: number): void {
  if (counts.approximateNumEntries() > 0 || baskets.approximateNumEntries() === 0) return;
  const rows = new Map<string, CoPurchaseRow>();
  for (const [key, partners] of baskets.all()) {
    const product = firstPart(key);
    let row = rows.get(product);
    if (!row) rows.set(product, (row = new CoPurchaseRow()));
    row.addBasket(product, partnersOf(partners), topSize);
  }
  for (const [product, row] of rows) counts.put(product, row);
}
