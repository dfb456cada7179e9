// What the plain consume -> transform -> produce loops of `pnpm bench:compare` share (one per
// client: plainLoopApp.ts on KafkaJS, plainPlatformaticLoopApp.ts on @platformatic/kafka): their
// arguments and the JSON lines the harness follows (starting, state RUNNING, progress).
import { parseArgs } from 'node:util';

/** A plain loop's arguments: `--brokers B --input I --output O --group G [--commit-interval-ms 1000]`. */
export interface PlainLoopOptions {
  brokers: string[];
  input: string;
  output: string;
  group: string;
  /** The loop commits at most once per interval, after the batch's writes were acknowledged. */
  commitIntervalMs: number;
}

export function plainLoopOptions(): PlainLoopOptions {
  const { values } = parseArgs({
    options: {
      brokers: { type: 'string' },
      input: { type: 'string' },
      output: { type: 'string' },
      group: { type: 'string' },
      'commit-interval-ms': { type: 'string', default: '1000' },
    },
  });
  for (const name of ['brokers', 'input', 'output', 'group'] as const) if (!values[name]) throw new Error(`missing --${name}`);
  return { brokers: values.brokers!.split(','), input: values.input!, output: values.output!, group: values.group!, commitIntervalMs: Number(values['commit-interval-ms']) };
}

/** One JSON line for the harness (engineProcess.ts). */
export const emitLine = (line: object): void => void process.stdout.write(`${JSON.stringify(line)}\n`);

/**
 * Prints `{"event":"progress"}` with `processed()` once a second; on SIGTERM stops that,
 * awaits `close()` and exits.
 */
export function followLoop(processed: () => number, close: () => Promise<unknown>): void {
  const progress = setInterval(() => emitLine({ event: 'progress', processed: processed() }), 1_000);
  process.once('SIGTERM', () => {
    clearInterval(progress);
    void close().finally(() => process.exit(0));
  });
}
