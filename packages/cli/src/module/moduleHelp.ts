/** `tributary help module`: the module contract ({@link TopologyModule}) in words. */
export const MODULE_HELP = `A topology module is a TypeScript or JavaScript file (or a package's module) that exports:

  default | topology   the topology, required, as one of:
                         a Topology (builder.build()),
                         a function of no arguments returning one (may be async),
                         a function (builder: StreamsBuilder) that adds to the builder
                         it is given (and may return builder.build(), or nothing)
  options              optional: { applicationId, ...KafkaStreams options } (the
                       connection comes from the command line). --application-id
                       overrides applicationId
  inputs               optional: records for an embedded run, by topic:
                       { topic: [{ key, value, timestamp? }, ...] } (arrays, generators
                       or async generators), or a function returning that

The TypeScript type is TopologyModule, from @tributary/cli:

  import type { StreamsBuilder } from '@tributary/core';
  import type { TopologyModuleOptions } from '@tributary/cli';

  export default function (builder: StreamsBuilder) {
    builder.stream<string, { amount: number }>('orders').groupByKey().count({ name: 'counts' }).toStream().to('order-counts');
  }
  export const options: TopologyModuleOptions = { applicationId: 'order-counts' };

A .ts module runs through tsx when it can be found (the module's project or the CLI's:
npm install --save-dev tsx), else through Node's own type stripping (Node 22.18+). A
.js/.mjs/.cjs module needs neither.`;
