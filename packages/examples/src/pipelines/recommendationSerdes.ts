import type { Serde } from '@tributary/core';
import type { BasketForProduct } from './coPurchases';
import { TAB, textSerde } from './textSerde';

/**
 * Compact serdes for the recommendation pipeline's repartition topics. The basket topic
 * carries every product of an invoice once per product of it, some 18 million stock
 * codes for the whole data set; as tab-separated text instead of JSON it is a third
 * smaller and several times quicker to write and read. Stock codes and invoice numbers
 * never contain a tab or a newline (the CSV reader trims fields; the tests check it).
 */

/** A purchase as the recommendation lookup needs it (the repartition before the co-purchase join). */
export interface PurchaseRef {
  customerId: string;
  invoiceNo: string;
  stockCode: string;
  timestamp: number;
}

/** A purchase with the ranked co-purchased products of its product (the repartition before the history join). */
export interface PurchaseWithCandidates extends PurchaseRef {
  /** Stock codes, best first. */
  candidates: string[];
  /** `coPurchases[i]`: invoices that had both the purchased product and `candidates[i]`. */
  coPurchases: number[];
}

/** `invoiceNo \t product \t product ...` */
export const basketSerde: Serde<BasketForProduct> = textSerde(
  'basket',
  (basket) => `${basket.invoiceNo}${TAB}${basket.products.join(TAB)}`,
  (text) => {
    const fields = text.split(TAB);
    return { invoiceNo: fields[0]!, products: fields.slice(1) };
  },
);

/** `customerId \t invoiceNo \t stockCode \t timestamp` */
export const purchaseRefSerde: Serde<PurchaseRef> = textSerde(
  'purchase-ref',
  (p) => [p.customerId, p.invoiceNo, p.stockCode, p.timestamp].join(TAB),
  (text) => {
    const [customerId, invoiceNo, stockCode, timestamp] = text.split(TAB) as [string, string, string, string];
    return { customerId, invoiceNo, stockCode, timestamp: Number(timestamp) };
  },
);

/** `customerId \t invoiceNo \t stockCode \t timestamp (\t candidate \t count)*` */
export const purchaseWithCandidatesSerde: Serde<PurchaseWithCandidates> = textSerde(
  'purchase-candidates',
  (p) => {
    let text = [p.customerId, p.invoiceNo, p.stockCode, p.timestamp].join(TAB);
    for (let i = 0; i < p.candidates.length; i++) text += `${TAB}${p.candidates[i]}${TAB}${p.coPurchases[i]}`;
    return text;
  },
  (text) => {
    const f = text.split(TAB);
    const candidates: string[] = [];
    const coPurchases: number[] = [];
    for (let i = 4; i + 1 < f.length; i += 2) {
      candidates.push(f[i]!);
      coPurchases.push(Number(f[i + 1]));
    }
    return { customerId: f[0]!, invoiceNo: f[1]!, stockCode: f[2]!, timestamp: Number(f[3]), candidates, coPurchases };
  },
);
