// Top self-time functions of a V8 CPU profile (`node --cpu-prof`), and the share of broad
// groups (KafkaJS, Tributary, JSON, GC, idle), for the notes in BENCHMARKS.md.
//
//   node --import tsx test/bench/compare/profileSummary.ts <file.cpuprofile> [top=25] [function,function...]
//
// The optional list names functions whose inclusive time (samples with that function anywhere
// on the stack) is printed too, e.g. `sendBatch,process` to split producing from processing.
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file, topArg, inclusiveArg] = process.argv.slice(2);
if (!file) throw new Error('usage: profileSummary.ts <file.cpuprofile> [top]');
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const selfMicros = new Map<number, number>();
profile.samples.forEach((id, i) => selfMicros.set(id, (selfMicros.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const total = [...selfMicros.values()].reduce((a, b) => a + b, 0);

const where = (url: string) => url.replace(/^file:\/\//, '').replace(/.*node_modules\/\.pnpm\/[^/]+\/node_modules\//, '').replace(/^.*\/packages\//, 'packages/');
const group = (node: ProfileNode): string => {
  const { functionName, url } = node.callFrame;
  if (functionName === '(garbage collector)') return 'GC';
  if (functionName === '(idle)') return 'idle';
  if (functionName === '(program)') return '(program)';
  if (url.includes('node_modules/kafkajs/')) return 'KafkaJS';
  if (url.includes('packages/core')) return '@tributary/core';
  if (url.includes('packages/kafka')) return '@tributary/kafka';
  if (url.includes('/test/bench/')) return 'benchmark code';
  if (functionName === 'parse' || functionName === 'stringify') return 'JSON (native)';
  if (url.startsWith('node:') || url === '') return 'Node built-ins and native';
  return 'other';
};

const functions = new Map<string, number>();
const groups = new Map<string, number>();
for (const [id, micros] of selfMicros) {
  const node = byId.get(id)!;
  const { functionName, url, lineNumber, columnNumber } = node.callFrame;
  // Line and column of the code V8 ran (tsx's output for TypeScript sources).
  const key = `${functionName || '(anonymous)'}  ${url ? `${where(url)}:${lineNumber + 1}:${columnNumber + 1}` : ''}`;
  functions.set(key, (functions.get(key) ?? 0) + micros);
  groups.set(group(node), (groups.get(group(node)) ?? 0) + micros);
}
const pct = (micros: number) => `${((100 * micros) / total).toFixed(1).padStart(5)}%`;
console.log(`${file}: ${(total / 1e6).toFixed(1)} s sampled\n\nGroups`);
for (const [name, micros] of [...groups].sort((a, b) => b[1] - a[1])) console.log(`  ${pct(micros)}  ${name}`);
console.log('\nTop self time');
for (const [name, micros] of [...functions].sort((a, b) => b[1] - a[1]).slice(0, Number(topArg ?? 25))) console.log(`  ${pct(micros)}  ${name}`);

if (inclusiveArg) {
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  console.log('\nInclusive time');
  for (const name of inclusiveArg.split(',')) {
    let micros = 0;
    profile.samples.forEach((id, i) => {
      for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
        if (byId.get(at)!.callFrame.functionName === name) {
          micros += profile.timeDeltas[i] ?? 0;
          break;
        }
      }
    });
    console.log(`  ${pct(micros)}  ${name}`);
  }
}
