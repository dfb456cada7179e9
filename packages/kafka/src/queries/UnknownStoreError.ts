import { StreamsError } from '@tributary/core';

/** A query named a store the topology does not have; `known` lists the queryable ones. */
export class UnknownStoreError extends StreamsError {
  constructor(
    readonly store: string,
    readonly known: readonly string[],
  ) {
    super(`no store named '${store}'; the topology's queryable stores: ${known.length > 0 ? known.join(', ') : 'none'}`);
  }
}
