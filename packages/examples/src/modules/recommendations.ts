// The recommendations example as a topology module (co-purchase recommendations to recommendations):
//   tributary run packages/examples/src/modules/recommendations.ts --limit 20000       (a clone)
//   tributary run node_modules/@tributary/examples/dist/modules/recommendations.js     (installed)
import { buildRecommendationsTopology } from '../pipelines/recommendations';

export const topology = () => buildRecommendationsTopology();
export { exampleOptions as options, onlineRetailInputs as inputs } from './onlineRetailInputs';
