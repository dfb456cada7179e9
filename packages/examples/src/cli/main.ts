import { CliError, examplesHelp } from './args';
import { demoCommand, describeCommand, runCommand } from './commands';
import { lagCommand } from './lag';
import { topicsCommand } from './topics';

export const USAGE = `Usage: tributary <command> [options]

Tributary's CRM examples: three pipelines (customer segmentation, recommendations, fraud
detection) on the Online Retail data set, on the embedded engine or on Kafka.

Commands:
  describe <example>   print an example's topology (--format text|mermaid)
  run <example>        run an example over the data set and print a summary
  demo                 all three pipelines over the whole data set (= run crm)
  lag                  per-partition committed offset, log-end offset, lag and
                       consumption rate of a consumer group on Kafka
  topics list <example>
                       the topics an example reads, writes and creates internally
  topics create <example>
                       creates the topics an example reads and writes on Kafka

Commands that talk to Kafka take --brokers and --command-config FILE (Kafka client
properties: TLS, SASL), and TRIBUTARY_* environment variables (see 'lag --help').

Examples:
${examplesHelp()}

Run 'tributary <command> --help' for a command's options.`;

const COMMANDS: Record<string, (args: readonly string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream) => number | Promise<number>> = {
  describe: describeCommand,
  run: runCommand,
  demo: demoCommand,
  lag: lagCommand,
  topics: topicsCommand,
};

/** Runs the CLI with `argv` (without node and the script); returns the exit code. */
export async function main(argv: readonly string[], out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    out.write(`${USAGE}\n`);
    return command === undefined ? 2 : 0;
  }
  const handler = COMMANDS[command];
  if (!handler) {
    err.write(`tributary: unknown command '${command}'. Commands: ${Object.keys(COMMANDS).join(', ')}\n\n${USAGE}\n`);
    return 2;
  }
  try {
    return await handler(rest, out, err);
  } catch (error) {
    if (error instanceof CliError) {
      err.write(`tributary ${command}: ${error.message}\n`);
      return error.exitCode;
    }
    err.write(`tributary ${command}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  }
}

// Run when executed directly (node --import tsx main.ts, or the bin), not when imported by a test.
const invokedAs = process.argv[1] ?? '';
if (/[/\\]cli[/\\]main\.(ts|js|mjs)$/.test(invokedAs)) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
