import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["__tests__/**/*.test.ts"],
    // Test files share their worker's module cache: CDKTF and the provider bindings are loaded once per
    // worker instead of once per file, which is most of the suite's CPU time on a 2-core machine.
    // Files must not leave global state behind (none do: every test builds its own App or stack).
    isolate: false,
    pool: "threads",
    // Many suites wait on child processes (promtool, ansible, the CLI), so one worker more than cores.
    maxWorkers: 3,
    // Suites that start outside tools (ansible, promtool, prometheus) set their own longer timeouts.
    testTimeout: 30_000,
    hookTimeout: 120_000,
    reporters: ["default"],
  },
});
