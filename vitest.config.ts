import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The node under test first on PATH, for the simulators' `#!/usr/bin/env node`.
    setupFiles: ['test/helpers/node-on-path.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
