import { defineConfig, mergeConfig } from 'vitest/config';
import { packageConfig } from '../../vitest.shared.ts';

// The sandbox page loads the browser build of @milky/client from dist/, which the build writes;
// the tests run from the sources, so their setup writes it too.
export default mergeConfig(
  packageConfig({ testTimeout: 30_000 }),
  defineConfig({
    test: {
      globalSetup: ['./test/setup-browser-client.ts'],
      // The example bots' own tests run with the package's.
      include: ['test/**/*.test.ts', 'examples/**/*.test.ts'],
    },
  }),
);
