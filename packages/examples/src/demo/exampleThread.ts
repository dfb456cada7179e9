// The topology module of the demo's stream threads (`tributary-demo --stream-threads N` on
// Kafka): each thread builds its own copy of the example the demo runs, with the demo's options
// that cannot cross threads.
import { ErrorHandlers } from '@tributary/core';
import type { ThreadTopology } from '@tributary/kafka';
import { exampleNamed } from '../pipelines/examples';

/** What the demo sends each thread. */
export interface ExampleThreadData {
  readonly example: string;
}

export default function exampleThread({ data }: { data: ExampleThreadData }): ThreadTopology {
  const example = exampleNamed(data.example);
  if (!example) throw new Error(`no example named '${data.example}'`);
  return { topology: example.build(), options: { deserializationErrorHandler: ErrorHandlers.logAndContinue() } };
}
