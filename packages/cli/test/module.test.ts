import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CliError } from '../src/args';
import { loadTopologyModule } from '../src/module/loadTopologyModule';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

describe('loadTopologyModule', () => {
  it('takes a TypeScript module exporting a Topology as default, with its options', async () => {
    const module = await loadTopologyModule(fixture('orderCounts.ts'));
    expect(module.path).toBe(fixture('orderCounts.ts'));
    expect(module.topology.sourceTopics()).toEqual(['orders']);
    expect(module.topology.sinkTopics()).toEqual(['order-counts', 'country-counts']);
    expect(module.options).toEqual({ applicationId: 'order-counts-app' });
    expect(await module.inputs()).toBeUndefined();
    expect(module.defaultApplicationId).toBe('orderCounts');
  });

  it('builds the topology of a builder function exported as topology, and takes its inputs function', async () => {
    const module = await loadTopologyModule(fixture('builderFunction.ts'));
    expect(module.topology.sourceTopics()).toEqual(['words']);
    expect(module.topology.sinkTopics()).toEqual(['shouted']);
    expect(module.options).toEqual({});
    expect(Object.keys((await module.inputs())!)).toEqual(['words']);
  });

  it('calls a JavaScript module’s function of no arguments, from a path relative to the working directory', async () => {
    const module = await loadTopologyModule('./noArguments.mjs', fileURLToPath(new URL('./fixtures/', import.meta.url)));
    expect(module.topology.sourceTopics()).toEqual(['numbers']);
    expect(module.topology.sinkTopics()).toEqual(['even-numbers']);
  });

  it('fails with a CliError naming the module and what went wrong', async () => {
    const failure = async (specifier: string) => {
      const error = await loadTopologyModule(specifier).then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(CliError);
      return (error as CliError).message;
    };
    expect(await failure(fixture('missing.ts'))).toBe(`module '${fixture('missing.ts')}' not found (looked for the file ${fixture('missing.ts')})`);
    expect(await failure('no-such-package/topology')).toMatch(/^module 'no-such-package\/topology' not found \(looked for the file .* and a package of that name\)$/);
    expect(await failure(fixture('failsToLoad.ts'))).toBe(`module '${fixture('failsToLoad.ts')}' failed to load: the config service is down`);
    expect(await failure(fixture('exportsNothingUsable.ts'))).toContain("expected a Topology, or a function building one, as 'default' or 'topology'; found 'applicationId'");
    expect(await failure(fixture(''))).toContain('is a directory, not a module file');
  });
});
