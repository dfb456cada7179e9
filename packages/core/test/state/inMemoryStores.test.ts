import { storeSuite } from '../../../../test/kits/storeSuite';

storeSuite('in-memory', { create: (spec, logger) => spec.create(logger) });
