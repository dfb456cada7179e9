// The segmentation example as a topology module (RFM profiles and segment changes to customer_segments):
//   tributary run packages/examples/src/modules/segmentation.ts --limit 20000       (a clone)
//   tributary run node_modules/@tributary/examples/dist/modules/segmentation.js     (installed)
import { buildSegmentationTopology } from '../pipelines/segmentation';

export const topology = () => buildSegmentationTopology();
export { exampleOptions as options, onlineRetailInputs as inputs } from './onlineRetailInputs';
