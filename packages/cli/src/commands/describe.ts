import { CliError, parseCommand, singlePositional } from '../args';
import { loadTopologyModule } from '../module/loadTopologyModule';

export const DESCRIBE_USAGE = `Usage: tributary describe <module> [--format text|mermaid]

Prints the topology of a module (TypeScript or JavaScript; see 'tributary help module'):
Kafka Streams' text description (sub-topologies, sources, processors, stores, sinks), or a
Mermaid flowchart.

Options:
  --format text|mermaid   Defaults to text.
  -h, --help              this help`;

/** `tributary describe <module>`. */
export async function describeCommand(args: readonly string[], out: NodeJS.WritableStream): Promise<number> {
  const { values, positionals } = parseCommand(args, { format: { type: 'string' } }, DESCRIBE_USAGE);
  if (values.help) {
    out.write(`${DESCRIBE_USAGE}\n`);
    return 0;
  }
  const specifier = singlePositional(positionals, 'module', DESCRIBE_USAGE);
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'mermaid') throw new CliError(`--format must be text or mermaid, got '${format}'`, 2);
  const { topology } = await loadTopologyModule(specifier);
  const description = topology.describe();
  out.write(`${format === 'mermaid' ? description.toMermaid() : description.toString()}\n`);
  return 0;
}
