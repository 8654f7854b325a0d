import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Tests run real processes on real ports: two files at a time suits a 2-core machine.
    pool: 'forks',
    maxWorkers: 2,
    // A hang guard, not a speed check: a test that starts a dozen Node processes takes 15 s on
    // a quiet 2-core machine and twice that on a busy one.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default'],
  },
});
