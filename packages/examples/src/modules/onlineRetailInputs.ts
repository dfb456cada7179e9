import type { TopologyInputs, TopologyModuleOptions } from '@tributary/cli';
import { ErrorHandlers } from '@tributary/core';
import { readOnlineRetailBatches } from '../data/onlineRetail';
import { CRM_APPLICATION_ID, CUSTOMER_INTERACTIONS_TOPIC } from '../pipelines/topics';

/**
 * The inputs of the example modules: the Online Retail data set as `customer_interactions`
 * records (key customer id, value the interaction, its event time), read lazily in file
 * order, which is event-time order, so `tributary run <module> --limit N` reads only N rows.
 */
export function onlineRetailInputs(): TopologyInputs {
  return {
    [CUSTOMER_INTERACTIONS_TOPIC]: (async function* () {
      for await (const batch of readOnlineRetailBatches()) {
        for (const row of batch) {
          if (row.kind === 'interaction') yield { key: row.interaction.customerId, value: row.interaction, timestamp: row.interaction.timestamp };
        }
      }
    })(),
  };
}

/** The options of the example modules: the demo's application id, and rows that do not parse skipped rather than fatal. */
export const exampleOptions: TopologyModuleOptions = {
  applicationId: CRM_APPLICATION_ID,
  deserializationErrorHandler: ErrorHandlers.logAndContinue(),
};
