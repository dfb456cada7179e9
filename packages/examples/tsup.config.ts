import { defineConfig } from 'tsup';
import { packageBuild } from '../../scripts/package-build';

export default defineConfig(
  packageBuild({
    // Programs, not import paths: demo/program is the `tributary-demo` command (bin/tributary-demo.mjs
    // runs it); demo/exampleThread is the topology module of its stream threads; modules/* are the
    // examples as topology modules, for `tributary run <file>`.
    entry: {
      index: 'src/index.ts',
      'demo/program': 'src/demo/program.ts',
      'demo/exampleThread': 'src/demo/exampleThread.ts',
      'modules/segmentation': 'src/modules/segmentation.ts',
      'modules/recommendations': 'src/modules/recommendations.ts',
      'modules/fraud': 'src/modules/fraud.ts',
      'modules/crm': 'src/modules/crm.ts',
    },
    programs: ['demo/program', 'demo/exampleThread', 'modules/segmentation', 'modules/recommendations', 'modules/fraud', 'modules/crm'],
    external: ['@tributary/cli', '@tributary/core', '@tributary/kafka', 'kafkajs', 'rxjs'],
  }),
);
