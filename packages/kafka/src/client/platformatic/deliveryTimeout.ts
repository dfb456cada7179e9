import { StreamsError } from '@tributary/core';

/** `promise`, or a retriable error after `ms` saying the broker did not acknowledge `count` records in time. */
export async function withinDeliveryTimeout<T>(promise: Promise<T>, ms: number, count: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StreamsError(`the broker did not acknowledge ${count} records within ${ms} ms (deliveryTimeoutMs)`, { retriable: true })), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
