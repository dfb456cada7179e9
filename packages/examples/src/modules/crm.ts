// The crm example as a topology module (the three pipelines in one application):
//   tributary run packages/examples/src/modules/crm.ts --limit 20000       (a clone)
//   tributary run node_modules/@tributary/examples/dist/modules/crm.js     (installed)
import { buildCrmTopology } from '../pipelines/crm';

export const topology = () => buildCrmTopology();
export { exampleOptions as options, onlineRetailInputs as inputs } from './onlineRetailInputs';
