import { Writable } from 'node:stream';

/** A command's program: `main` of `@tributary/cli`, or of a command built on it (`tributary-demo`). */
export type Program = (argv: readonly string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream) => Promise<number>;

/** What a program run wrote, and its exit code. */
export interface ProgramOutput {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/**
 * Runs a program in-process with `argv` and captures what it writes to its standard output
 * and error streams: a command's test without a child process.
 *
 * ## Example
 * ```ts
 * import { main } from '@tributary/cli';
 * import { runProgram } from '@tributary/cli/testing';
 *
 * const { code, out } = await runProgram(main, 'describe', './topology.ts');
 * ```
 */
export async function runProgram(program: Program, ...argv: string[]): Promise<ProgramOutput> {
  let out = '';
  let err = '';
  const sink = (append: (s: string) => void) =>
    new Writable({
      write(chunk, _encoding, done) {
        append(String(chunk));
        done();
      },
    });
  const code = await program(argv, sink((s) => (out += s)), sink((s) => (err += s)));
  return { code, out, err };
}
