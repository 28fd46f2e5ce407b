import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { checkovExecutable, classifyCheckov, prepareForCheckov, runCheckov, subjectOf, type CheckovReport } from "../../policy/checkov";
import { CheckUnavailable, type Finding, type ShipyardCheck } from "../types";

/**
 * checkov on every synthesized stack, offline, through the same runner, skip list and waivers as
 * `__tests__/policies/checkov.test.ts` (`src/policy/checkov.ts`, `src/policy/checkov-skips.ts`): what the
 * tests hold at zero failures is exactly what a reviewer sees.
 */
export const checkovCheck: ShipyardCheck = {
  id: "checkov",
  title: "checkov policies on the synthesized stacks",
  run(ctx) {
    const binary = checkovExecutable(ctx.root);
    if (!binary) {
      throw new CheckUnavailable(
        "checkov is not installed (expected .cache/venv/bin/checkov from `.ci/run`, `checkov` on PATH, or SHIPYARD_CHECKOV; `--skip checkov` runs the other checks)",
      );
    }
    const input = mkdtempSync(path.join(tmpdir(), "shipyard-checkov-"));
    try {
      const stacks = prepareForCheckov(ctx.outdir, input);
      let run;
      try {
        run = runCheckov(binary, input);
      } catch (error) {
        const e = error as { stderr?: string; message?: string };
        const why = (e.stderr ?? "").trim().split("\n").slice(-1)[0] || e.message || "no report";
        throw new CheckUnavailable(`checkov (${binary}) did not run: ${why}`);
      }
      const waived = (stack: string) => ctx.envs.find((env) => stack.startsWith(`${env.name}-`))?.protection.waivedChecks ?? [];
      return checkovFindings(classifyCheckov(run, stacks, waived), stacks, this.id);
    } finally {
      rmSync(input, { recursive: true, force: true });
    }
  },
};

/** Findings for what checkov failed and no skip or waiver covers, each at its full Terraform address. */
export function checkovFindings(report: CheckovReport, stacks: ReadonlyMap<string, Record<string, unknown>>, check = "checkov"): Finding[] {
  const unread: Finding[] =
    report.parsingErrors > 0
      ? [
          {
            check,
            severity: "error",
            message: `checkov could not parse ${report.parsingErrors} stack file(s), so it checked nothing in them (expected Terraform JSON it can read)`,
          },
        ]
      : [];
  const failed = report.failed.map((f): Finding => ({
    check,
    severity: "error",
    stack: f.stack,
    resource: fullAddress(f.resource, stacks.get(f.stack)),
    message: `${f.checkId}: ${f.checkName}`,
    rule: f.checkId,
    ...(f.guideline ? { helpUri: f.guideline } : {}),
  }));
  return unread.concat(failed.sort((a, b) => `${a.stack} ${a.resource} ${a.rule}`.localeCompare(`${b.stack} ${b.resource} ${b.rule}`)));
}

/** `aws_x.name` or `data.aws_x.name` for checkov's address, which sometimes leaves the type out (`resource.name`). */
function fullAddress(address: string, stack: Record<string, unknown> | undefined): string {
  const subject = subjectOf(address, stack);
  if (!subject.body) return address;
  const name = address.split(".").pop()!;
  return `${address.startsWith("data.") ? "data." : ""}${subject.type}.${name}`;
}
