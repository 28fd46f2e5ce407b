import { spawnSync } from "node:child_process";
import { accessSync, constants } from "node:fs";
import * as path from "node:path";
import { CHECKOV_SKIPS } from "../checkov-skips";
import { CheckUnavailable, type Finding, type Severity, type ShipyardCheck } from "../types";

/**
 * checkov, the pinned one the tests use (`.cache/venv/bin/checkov`, installed by `.ci/run`), else
 * `SHIPYARD_CHECKOV`, else `checkov` on PATH.
 */
export function findCheckov(root: string): string | undefined {
  const candidates = [
    process.env.SHIPYARD_CHECKOV,
    path.join(root, ".cache", "venv", "bin", "checkov"),
    ...(process.env.PATH ?? "").split(path.delimiter).filter(Boolean).map((d) => path.join(d, "checkov")),
  ].filter((c): c is string => Boolean(c));
  return candidates.find((file) => {
    try {
      accessSync(file, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

interface CheckovFailed {
  check_id: string;
  check_name?: string;
  file_path?: string;
  resource?: string;
  guideline?: string | null;
  severity?: string | null;
}

interface CheckovReport {
  check_type?: string;
  results?: { failed_checks?: CheckovFailed[] };
}

/** Findings from checkov's `-o json` output (one report, a list of reports, or a bare summary when nothing was scanned). */
export function parseCheckov(output: string, check = "checkov"): Finding[] {
  const trimmed = output.trim();
  if (trimmed === "") return [];
  const parsed = JSON.parse(trimmed) as CheckovReport | CheckovReport[];
  const reports = Array.isArray(parsed) ? parsed : [parsed];
  return reports.flatMap((report) =>
    (report.results?.failed_checks ?? []).map((f) => {
      const parts = (f.file_path ?? "").split("/").filter(Boolean);
      const stack = parts.length >= 2 ? parts[parts.length - 2] : undefined;
      return {
        check,
        severity: severityOf(f.severity),
        ...(stack ? { stack } : {}),
        ...(f.resource ? { resource: f.resource } : {}),
        message: `${f.check_id}: ${f.check_name ?? "failed"}`,
        rule: f.check_id,
        ...(f.guideline ? { helpUri: f.guideline } : {}),
      };
    }),
  );
}

function severityOf(s: string | null | undefined): Severity {
  const level = (s ?? "").toUpperCase();
  return level === "LOW" || level === "INFO" ? "warning" : "error";
}

/** checkov on every synthesized stack (`--framework terraform_json`), offline, with the documented skips. */
export const checkovCheck: ShipyardCheck = {
  id: "checkov",
  title: "checkov policies on the synthesized stacks",
  run(ctx) {
    const binary = findCheckov(ctx.root);
    if (!binary) {
      throw new CheckUnavailable(
        "checkov is not installed (expected .cache/venv/bin/checkov from `.ci/run`, `checkov` on PATH, or SHIPYARD_CHECKOV; `--skip checkov` runs the other checks)",
      );
    }
    const args = ["-d", path.join(ctx.outdir, "stacks"), "--framework", "terraform_json", "-o", "json", "--quiet", "--compact", "--soft-fail", "--skip-download"];
    if (CHECKOV_SKIPS.length > 0) args.push("--skip-check", CHECKOV_SKIPS.map((s) => s.id).join(","));
    const result = spawnSync(binary, args, { encoding: "utf8", maxBuffer: 256 * 1024 * 1024, env: { ...process.env, BC_SKIP_MAPPING: "TRUE" } });
    if (result.error || result.status !== 0) {
      const why = result.error?.message ?? result.stderr.trim().split("\n").slice(-1)[0] ?? `exit ${result.status}`;
      throw new CheckUnavailable(`checkov (${binary}) did not run: ${why}`);
    }
    try {
      return parseCheckov(result.stdout, this.id);
    } catch {
      throw new CheckUnavailable(`checkov (${binary}) printed something other than its JSON report: ${result.stdout.slice(0, 200)}`);
    }
  },
};
