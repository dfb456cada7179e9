// The Kafka clients `pnpm bench:compare` runs Tributary and the plain loop on, and the Node
// binary that runs each: KafkaJS on the harness's own Node; @platformatic/kafka on Node 22 or
// newer, the harness's own if it is one, else the one scripts/ensure-node.sh provides.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { ClientName } from '@tributary/kafka';
import { repoRoot } from './broker';

/** A client the benchmark runs on. */
export interface BenchClient {
  name: ClientName;
  /** How the table names it: `KafkaJS`, `@platformatic/kafka`. */
  label: string;
  /** The Node binary of the engines on this client. */
  node: string;
}

const CLIENT_NAMES: readonly ClientName[] = ['kafkajs', 'platformatic'];
const LABELS: Record<ClientName, string> = { kafkajs: 'KafkaJS', platformatic: '@platformatic/kafka' };

/**
 * The clients of `--clients` (comma-separated; `requested` undefined: both, or KafkaJS alone with
 * `note` saying why when no Node 22 can be had). Naming `platformatic` without a Node 22 is an error.
 */
export function benchClients(requested: string | undefined): { clients: BenchClient[]; note?: string } {
  const names = (requested ?? CLIENT_NAMES.join(',')).split(',').filter((n) => n !== '');
  for (const name of names) if (!CLIENT_NAMES.includes(name as ClientName)) throw new Error(`--clients: unknown client '${name}' (${CLIENT_NAMES.join(', ')})`);
  if (names.length === 0) throw new Error(`--clients names no client (${CLIENT_NAMES.join(', ')})`);
  const clients: BenchClient[] = [];
  let note: string | undefined;
  for (const name of names as ClientName[]) {
    if (name === 'kafkajs') {
      clients.push({ name, label: LABELS[name], node: process.execPath });
      continue;
    }
    const node22 = nodeForPlatformatic();
    if (typeof node22 === 'string') clients.push({ name, label: LABELS[name], node: node22 });
    else if (requested !== undefined) throw new Error(`--clients platformatic: @platformatic/kafka needs Node 22 or newer, and ${node22.why}`);
    else note = `Tributary on @platformatic/kafka left out: it needs Node 22 or newer, and ${node22.why}. Running on KafkaJS only.`;
  }
  return { clients, note };
}

function nodeForPlatformatic(): string | { why: string } {
  if (Number(process.versions.node.split('.')[0]) >= 22) return process.execPath;
  try {
    return execFileSync('bash', [join(repoRoot, 'scripts', 'ensure-node.sh'), '22'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
  } catch (error) {
    return { why: `scripts/ensure-node.sh 22 could not provide one (${(error as Error).message.split('\n')[0]})` };
  }
}
