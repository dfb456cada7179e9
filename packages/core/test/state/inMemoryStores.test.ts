import { storeSuite } from './storeSuite';

storeSuite('in-memory', { create: (spec, logger) => spec.create(logger) });
