/**
 * ferry on AWS, with SST v2: `npx sst deploy --stage <stage>` (see README, "Deploy to AWS").
 * Every function runs Node 24 on arm64 as an ES module bundle; production stages keep every
 * resource when removed (stacks/stage.ts says which stages those are).
 */
import type { SSTConfig } from 'sst';
import { Alarms } from './stacks/Alarms.ts';
import { Api } from './stacks/Api.ts';
import { importAttributesPlugin } from './stacks/import-attributes-plugin.ts';
import { Queues } from './stacks/Queues.ts';
import { Schedules } from './stacks/Schedules.ts';
import { Storage } from './stacks/Storage.ts';
import { removalPolicyOf } from './stacks/stage.ts';

export default {
  config(input) {
    return { name: 'ferry', region: input.region ?? process.env.AWS_REGION ?? 'us-east-1' };
  },
  stacks(app) {
    app.setDefaultFunctionProps({
      runtime: 'nodejs24.x',
      architecture: 'arm_64',
      // Active tracing would grant X-Ray writes on every resource ("*") to every function.
      tracing: 'disabled',
      // Bundled as scripts/bundle-functions.ts bundles them for the cold-start bench: what a handler
      // imports dynamically lands in chunks loaded on first use, so Lambda's init stays small.
      nodejs: {
        format: 'esm',
        minify: true,
        sourcemap: false,
        splitting: true,
        esbuild: {
          target: 'node24',
          keepNames: false,
          legalComments: 'none',
          chunkNames: 'chunks/[name]-[hash]',
          plugins: [importAttributesPlugin],
        },
      },
    });
    app.setDefaultRemovalPolicy(removalPolicyOf(app.stage));
    app.stack(Storage).stack(Queues).stack(Api).stack(Schedules).stack(Alarms);
  },
} satisfies SSTConfig;
