import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    // Loading the model parses the spec with the TypeScript compiler: seconds on a busy machine.
    hookTimeout: 30_000,
  },
});
