import { defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * Suites that mostly wait on outside processes (debootstrap and ansible in a chroot, a live Prometheus
 * and the sample service, CodeNarc's JVM, whole-project syntheses in child processes), longest first. They start before
 * everything else, so their waiting overlaps the CPU-bound suites instead of ending the run alone.
 */
const SLOW_SUITES = [
  "__tests__/ansible/chroot.test.ts",
  "__tests__/live/prometheus-live.test.ts",
  "__tests__/ci/groovy.test.ts",
  "__tests__/snapshot/determinism.test.ts",
  "__tests__/ansible/static.test.ts",
  "__tests__/cli/cli.test.ts",
  "__tests__/ansible/render.test.ts",
];

/** SLOW_SUITES first; the rest in BaseSequencer's order (by their last duration, once vitest has timed a run). */
class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (file: TestSpecification) => {
      const i = SLOW_SUITES.findIndex((suite) => file.moduleId.endsWith(`/${suite}`));
      return i < 0 ? SLOW_SUITES.length : i;
    };
    // Array.prototype.sort is stable.
    return [...(await super.sort(files))].sort((a, b) => rank(a) - rank(b));
  }
}

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
    sequence: { sequencer: SlowFirstSequencer },
    // A private TMPDIR for the run; the run fails when a suite leaves a temporary folder behind.
    globalSetup: ["./__tests__/support/global-setup.ts"],
    setupFiles: ["./__tests__/support/temp-dirs-cleanup.ts"],
    // Suites that start outside tools (ansible, promtool, prometheus) set their own longer timeouts.
    testTimeout: 30_000,
    hookTimeout: 120_000,
    reporters: ["default"],
  },
});
