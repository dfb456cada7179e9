import { readFileSync } from 'node:fs';
import { CliError } from './args';
import { describeCommand, DESCRIBE_USAGE } from './commands/describe';
import { lagCommand, LAG_USAGE } from './commands/lag';
import { resetCommand, RESET_USAGE } from './commands/reset';
import { runCommand, RUN_USAGE } from './commands/run';
import { topicsCommand, TOPICS_USAGE } from './commands/topics';
import { MODULE_HELP } from './module/moduleHelp';

export const USAGE = `Usage: tributary <command> [options]

Describe, run and operate Tributary applications: a topology module of yours (TypeScript or
JavaScript), on the embedded engine or on Kafka.

Commands:
  describe <module>    print a module's topology (--format text|mermaid)
  run <module>         run it: embedded over input files, or on Kafka with --brokers
  topics <module>      the topics it reads, writes and creates (with partitions);
                       'topics create <module>' creates those it reads and writes
  lag                  per-partition committed offset, log-end offset, lag and
                       consumption rate of an application on Kafka
  reset                reset an application to reprocess its input (offsets, internal
                       topics, local state), as kafka-streams-application-reset
  help [command]       this help, a command's, or 'help module': what a module exports

Commands that talk to Kafka take --brokers and --command-config FILE (Kafka client
properties: TLS, SASL), and TRIBUTARY_* environment variables (see 'help lag').

Options:
  --version            the version of @tributary/cli
  -h, --help           this help

Exit codes: 0 done, 1 failed, 2 bad command line, 130 interrupted.

Run 'tributary help <command>' or 'tributary <command> --help' for a command's options.`;

type Command = (args: readonly string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream) => number | Promise<number>;

const COMMANDS: Record<string, { run: Command; usage: string }> = {
  describe: { run: describeCommand, usage: DESCRIBE_USAGE },
  run: { run: runCommand, usage: RUN_USAGE },
  topics: { run: topicsCommand, usage: TOPICS_USAGE },
  lag: { run: lagCommand, usage: LAG_USAGE },
  reset: { run: resetCommand, usage: RESET_USAGE },
};

/** The version in @tributary/cli's package.json (one directory above src/ and dist/). */
export function cliVersion(): string {
  return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

/** Runs the CLI with `argv` (without node and the script); returns the exit code. */
export async function main(argv: readonly string[], out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined) {
    err.write(`${USAGE}\n`);
    return 2;
  }
  if (command === '--help' || command === '-h') {
    out.write(`${USAGE}\n`);
    return 0;
  }
  if (command === '--version' || command === '-v') {
    out.write(`${cliVersion()}\n`);
    return 0;
  }
  if (command === 'help') return help(rest, out, err);
  const entry = COMMANDS[command];
  if (!entry) {
    err.write(`tributary: unknown ${command.startsWith('-') ? 'option' : 'command'} '${command}'. Commands: ${Object.keys(COMMANDS).join(', ')}, help\n\n${USAGE}\n`);
    return 2;
  }
  try {
    return await entry.run(rest, out, err);
  } catch (error) {
    if (error instanceof CliError) {
      err.write(`tributary ${command}: ${error.message}\n`);
      return error.exitCode;
    }
    err.write(`tributary ${command}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  }
}

/** `tributary help [command|module]`. */
function help(args: readonly string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream): number {
  const [topic, extra] = args;
  if (extra !== undefined) {
    err.write(`tributary help: one command at a time, got '${args.join(' ')}'\n`);
    return 2;
  }
  if (topic === undefined) {
    out.write(`${USAGE}\n`);
    return 0;
  }
  if (topic === 'module') {
    out.write(`${MODULE_HELP}\n`);
    return 0;
  }
  const entry = COMMANDS[topic];
  if (!entry) {
    err.write(`tributary help: unknown command '${topic}'. Commands: ${Object.keys(COMMANDS).join(', ')}; or 'help module'\n`);
    return 2;
  }
  out.write(`${entry.usage}\n`);
  return 0;
}
