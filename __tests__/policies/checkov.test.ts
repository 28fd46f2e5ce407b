/**
 * Checkov (pinned in src/policy/checkov.ts, installed by .ci/run or scripts/install-checkov.sh into
 * .cache/venv) on every synthesized stack of every environment: zero failed checks. Every check not
 * passed is listed once in src/policy/checkov-skips.ts with its reason; waivable ones are skipped only
 * where the environment's protection.waivedChecks names them (with protection.waiverReason).
 */
import { mkdtempSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENVIRONMENTS_DIR, loadEnvironments } from "../../src/config";
import { CHECKOV_SKIPS } from "../../src/policy/checkov-skips";
import {
  checkovExecutable,
  type CheckovReport,
  type CheckovRun,
  classifyCheckov,
  prepareForCheckov,
  runCheckov,
} from "../../src/policy/checkov";
import { synthesize } from "../../src/synth/synthesize";
import { ROOT } from "../support/environments";

const ENVS = loadEnvironments(ENVIRONMENTS_DIR);
const executable = checkovExecutable(ROOT);
if (!executable) {
  if (process.env.CI) throw new Error("checkov is required under CI but is not installed; .ci/run must install it into .cache/venv");
  process.stderr.write(
    "NOTICE: checkov not found (.cache/venv/bin/checkov or PATH); run scripts/install-checkov.sh. Skipping the Checkov suite\n",
  );
}

describe.skipIf(!executable)("Checkov on every synthesized stack", () => {
  let root: string;
  let stacks: Map<string, Record<string, unknown>>;
  let run: CheckovRun;
  let report: CheckovReport;
  const waived = (stack: string) => ENVS.find((e) => stack.startsWith(`${e.name}-`))?.protection.waivedChecks ?? [];

  beforeAll(() => {
    root = mkdtempSync(path.join(os.tmpdir(), "shipyard-checkov-"));
    synthesize(ENVS, { outdir: "out", projectRoot: root });
    const prepared = path.join(root, "checkov");
    stacks = prepareForCheckov(path.join(root, "out"), prepared);
    run = runCheckov(executable!, prepared);
    report = classifyCheckov(run, stacks, waived);
    process.stderr.write(`checkov: ${report.passed} passed, ${report.failed.length} failed, ${report.skipped.length} skipped\n`);
  }, 300_000);
  afterAll(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it("parses every stack and runs checks on each", () => {
    expect(report.parsingErrors).toBe(0);
    expect(stacks.size).toBe(ENVS.length * 6);
    expect(report.passed).toBeGreaterThan(1000);
  });

  it.each(ENVS.map((e) => [e.name] as const))("%s: zero failed checks", (name) => {
    expect(
      report.failed.filter((f) => f.stack.startsWith(`${name}-`)).map((f) => `${f.stack} ${f.checkId} ${f.resource}: ${f.checkName}`),
    ).toEqual([]);
  });

  it("lists each skipped check once, with a reason, and every listed skip is still needed", () => {
    const ids = CHECKOV_SKIPS.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const s of CHECKOV_SKIPS) expect(s.reason.length, s.id).toBeGreaterThan(40);
    const used = new Set(report.skipped.map((s) => s.checkId));
    expect(
      ids.filter((id) => !used.has(id)),
      "skips no longer needed",
    ).toEqual([]);
  });

  it("skips a waivable check only where the environment waives it", () => {
    const prodSkips = report.skipped.filter((s) => s.stack.startsWith("prod-"));
    expect(prodSkips.filter((s) => s.reason.startsWith("waived:"))).toEqual([]);
    // Without dev's waiver, its short log retention fails the check.
    const unwaived = classifyCheckov(run, stacks, () => []);
    expect(unwaived.failed.map((f) => f.checkId)).toEqual(expect.arrayContaining(["CKV_AWS_338"]));
    expect(unwaived.failed.every((f) => CHECKOV_SKIPS.find((s) => s.id === f.checkId)?.waivable)).toBe(true);
  });
});
