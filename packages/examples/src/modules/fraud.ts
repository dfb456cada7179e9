// The fraud example as a topology module (fraud alerts to fraud_alerts):
//   tributary run packages/examples/src/modules/fraud.ts --limit 20000       (a clone)
//   tributary run node_modules/@tributary/examples/dist/modules/fraud.js     (installed)
import { buildFraudTopology } from '../pipelines/fraud';

export const topology = () => buildFraudTopology();
export { exampleOptions as options, onlineRetailInputs as inputs } from './onlineRetailInputs';
