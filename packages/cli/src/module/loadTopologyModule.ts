import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { StreamsBuilder, type Topology } from '@tributary/core';
import { CliError } from '../args';
import { TOPOLOGY_EXPORTS, type TopologyInputs, type TopologyModule, type TopologyModuleOptions } from './TopologyModule';

/** A topology module, loaded and checked: what `describe`, `run` and `topics` work with. */
export interface LoadedTopology {
  /** The module's file, absolute. */
  readonly path: string;
  readonly topology: Topology;
  /** The module's `options`, or `{}`. */
  readonly options: TopologyModuleOptions;
  /** The module's `inputs`, called if a function; `undefined` when it exports none. */
  readonly inputs: () => Promise<TopologyInputs | undefined>;
  /** The name the embedded engine uses when the module and the command line give no application id: the file name without extension. */
  readonly defaultApplicationId: string;
}

const TYPESCRIPT = new Set(['.ts', '.mts', '.cts', '.tsx']);

/**
 * Loads the module at `specifier` (a path, relative to `cwd`, or a package specifier) and
 * takes its topology, options and inputs (see {@link TopologyModule}). Every failure is a
 * {@link CliError} that names the module: not found, failed to load (with the module's own
 * error), or no usable export (naming the export names looked for and those found).
 */
export async function loadTopologyModule(specifier: string, cwd = process.cwd()): Promise<LoadedTopology> {
  const path = locate(specifier, cwd);
  const exports = await importModule(path, specifier);
  const { name, source } = topologyExport(exports, specifier);
  const topology = await buildTopology(source, name, specifier);
  const options = exports.options ?? {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new CliError(`${specifier}: the 'options' export must be an object (applicationId and KafkaStreams options), found ${describeValue(options)}`);
  }
  const inputs = exports.inputs;
  if (inputs !== undefined && typeof inputs !== 'function' && (typeof inputs !== 'object' || inputs === null)) {
    throw new CliError(`${specifier}: the 'inputs' export must be an object of records by topic, or a function returning one; found ${describeValue(inputs)}`);
  }
  return {
    path,
    topology,
    options,
    inputs: async () => {
      if (inputs === undefined) return undefined;
      try {
        return typeof inputs === 'function' ? await inputs() : inputs;
      } catch (error) {
        throw new CliError(`${specifier}: its 'inputs' function failed: ${messageOf(error)}`);
      }
    },
    defaultApplicationId: basename(path, extname(path)),
  };
}

/** The module's absolute path: a file relative to `cwd`, or else a package specifier resolved from `cwd`. */
function locate(specifier: string, cwd: string): string {
  const path = resolve(cwd, specifier);
  if (existsSync(path)) {
    if (!statSync(path).isFile()) throw new CliError(`module '${specifier}' is a directory, not a module file`);
    return path;
  }
  const looksLikePath = specifier.startsWith('.') || specifier.startsWith('/') || /\.[cm]?[jt]sx?$/.test(specifier);
  if (!looksLikePath) {
    try {
      return createRequire(resolve(cwd, 'package.json')).resolve(specifier);
    } catch {
      // Not a package either: reported below.
    }
  }
  throw new CliError(`module '${specifier}' not found (looked for the file ${path}${looksLikePath ? '' : ' and a package of that name'})`);
}

/**
 * Imports the module. A TypeScript module loads as it is when this process already runs
 * TypeScript (the CLI from its sources under tsx, a test runner, Node's own type stripping
 * on Node 22.18+); otherwise, or when type stripping refuses it (an enum, an import without
 * extension), tsx compiles it: tsx is an optional peer dependency of @tributary/cli,
 * registered once for the whole process so the module and the CLI share one copy of
 * @tributary/core. Without tsx, the error says what to install.
 */
async function importModule(path: string, specifier: string): Promise<TopologyModule & Record<string, unknown>> {
  const url = pathToFileURL(path).href;
  try {
    return (await import(url)) as TopologyModule & Record<string, unknown>;
  } catch (error) {
    if (!TYPESCRIPT.has(extname(path)) || typeScriptRegistered || !TYPESCRIPT_REFUSED.has((error as { code?: string }).code ?? '')) {
      throw new CliError(`module '${specifier}' failed to load: ${messageOf(error)}`);
    }
    await registerTsx(specifier, error);
  }
  try {
    // Another URL than the failed attempt's, which Node may keep as failed.
    return (await import(`${url}?tributary-tsx`)) as TopologyModule & Record<string, unknown>;
  } catch (error) {
    throw new CliError(`module '${specifier}' failed to load: ${messageOf(error)}`);
  }
}

/** The errors with which Node refuses a TypeScript file it cannot run by itself. */
const TYPESCRIPT_REFUSED = new Set(['ERR_UNKNOWN_FILE_EXTENSION', 'ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX', 'ERR_UNSUPPORTED_NODE_MODULES_TYPE_STRIPPING', 'ERR_MODULE_NOT_FOUND']);

let typeScriptRegistered = false;

async function registerTsx(specifier: string, refusal: unknown): Promise<void> {
  let api: { register: () => unknown };
  try {
    api = (await import('tsx/esm/api')) as { register: () => unknown };
  } catch {
    throw new CliError(
      `module '${specifier}' is TypeScript, which this Node.js (${process.version}) cannot run by itself (${messageOf(refusal)}). ` +
        'Install tsx beside @tributary/cli (npm install --save-dev tsx), or compile the module to JavaScript.',
    );
  }
  api.register();
  typeScriptRegistered = true;
}

/** The first of {@link TOPOLOGY_EXPORTS} the module has, or an error listing what it has. */
function topologyExport(exports: Record<string, unknown>, specifier: string): { name: string; source: unknown } {
  for (const name of TOPOLOGY_EXPORTS) {
    if (exports[name] !== undefined) return { name, source: exports[name] };
  }
  const found = Object.keys(exports).filter((k) => k !== '__esModule' && k !== 'module.exports');
  throw new CliError(
    `module '${specifier}' exports no topology: expected a Topology, or a function building one, as ${TOPOLOGY_EXPORTS.map((n) => `'${n}'`).join(' or ')}; ` +
      `found ${found.length === 0 ? 'no exports' : found.map((k) => `'${k}' (${describeValue(exports[k])})`).join(', ')}`,
  );
}

/** The topology of an export: the value itself, or what its function returns or adds to a builder. */
async function buildTopology(source: unknown, name: string, specifier: string): Promise<Topology> {
  if (isTopology(source)) return nonEmpty(source, `${specifier}: the '${name}' export`);
  const where = `${specifier}: the '${name}' export`;
  if (typeof source !== 'function') throw new CliError(`${where} is ${describeValue(source)}, not a Topology or a function building one`);
  const builder = new StreamsBuilder();
  let result: unknown;
  try {
    result = await (source as (builder: StreamsBuilder) => unknown)(builder);
  } catch (error) {
    throw new CliError(`${where} failed: ${messageOf(error)}`);
  }
  if (isTopology(result)) return nonEmpty(result, where);
  if (result instanceof StreamsBuilder) return nonEmpty(result.build(), where);
  if (result !== undefined) throw new CliError(`${where} returned ${describeValue(result)}; expected a Topology, or nothing after adding to the builder it is given`);
  let built: Topology;
  try {
    built = builder.build();
  } catch (error) {
    throw new CliError(`${where} returned nothing, and the builder it was given has no topology: ${messageOf(error)}`);
  }
  return nonEmpty(built, where);
}

function nonEmpty(topology: Topology, where: string): Topology {
  if (topology.subTopologies.length === 0 && topology.globalStores.length === 0) throw new CliError(`${where} gave an empty topology: no stream, table or store`);
  return topology;
}

/**
 * A Topology by its shape rather than `instanceof`: a module that brings its own copy of
 * @tributary/core (another version in its node_modules) still gives a usable topology.
 */
function isTopology(value: unknown): value is Topology {
  const candidate = value as Partial<Topology> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.describe === 'function' &&
    typeof candidate.sourceTopics === 'function' &&
    typeof candidate.internalTopics === 'function' &&
    Array.isArray(candidate.subTopologies)
  );
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'object') return `an object${value.constructor && value.constructor !== Object ? ` (${value.constructor.name})` : ''}`;
  return `${typeof value === 'string' ? 'the string' : typeof value === 'number' ? 'the number' : `a ${typeof value}`} ${JSON.stringify(value)}`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
