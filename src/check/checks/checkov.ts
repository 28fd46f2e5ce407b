import { spawnSync } from "node:child_process";
import { accessSync, constants, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
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
  file_line_range?: number[];
  check_name?: string;
  file_path?: string;
  resource?: string;
  guideline?: string | null;
  severity?: string | null;
}

interface CheckovReport {
  check_type?: string;
  results?: { failed_checks?: CheckovFailed[] };
  summary?: { parsing_errors?: number };
  parsing_errors?: number;
}

/** Findings from checkov's `-o json` output (one report, a list of reports, or a bare summary when nothing was scanned). */
export function parseCheckov(output: string, check = "checkov", addressAt?: (stack: string, line: number) => string | undefined): Finding[] {
  const trimmed = output.trim();
  if (trimmed === "") return [];
  const parsed = JSON.parse(trimmed) as CheckovReport | CheckovReport[];
  const reports = Array.isArray(parsed) ? parsed : [parsed];
  const unparsed = reports.reduce((n, r) => n + (r.summary?.parsing_errors ?? r.parsing_errors ?? 0), 0);
  const notRead: Finding[] =
    unparsed > 0 ? [{ check, severity: "error", message: `checkov could not parse ${unparsed} stack file(s), so it checked nothing in them (expected Terraform JSON it can read)` }] : [];
  return notRead.concat(reports.flatMap((report) =>
    (report.results?.failed_checks ?? []).map((f) => {
      const parts = (f.file_path ?? "").split("/").filter(Boolean);
      const stack = parts.length >= 2 ? parts[parts.length - 2] : undefined;
      return {
        check,
        severity: severityOf(f.severity),
        ...(stack ? { stack } : {}),
        ...(f.resource ? { resource: (stack && f.file_line_range && addressAt?.(stack, f.file_line_range[0]!)) || f.resource } : {}),
        message: `${f.check_id}: ${f.check_name ?? "failed"}`,
        rule: f.check_id,
        ...(f.guideline ? { helpUri: f.guideline } : {}),
      };
    }),
  )).sort((a, b) => `${a.stack} ${a.resource} ${a.rule}`.localeCompare(`${b.stack} ${b.resource} ${b.rule}`));
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
    // checkov's terraform_json parser fails on the `terraform` block (a string in `required_version`),
    // and CDKTF's `//` metadata is noise to it: it reads copies without them.
    const input = mkdtempSync(path.join(tmpdir(), "shipyard-checkov-"));
    const lines = new Map<string, Map<number, string>>();
    try {
      for (const [stack, json] of ctx.stacks) {
        const text = JSON.stringify(withoutBlocks(json, ["terraform", "//"]), null, 2);
        mkdirSync(path.join(input, stack));
        writeFileSync(path.join(input, stack, "cdk.tf.json"), text);
        lines.set(stack, addressLines(text));
      }
      return runCheckov(binary, input, this.id, (stack, line) => lines.get(stack)?.get(line));
    } finally {
      rmSync(input, { recursive: true, force: true });
    }
  },
};

function withoutBlocks(json: Record<string, unknown>, blocks: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(json).filter(([key]) => !blocks.includes(key)));
}

/**
 * The Terraform address starting at each line of a stack written by `JSON.stringify(json, null, 2)`:
 * checkov reports a resource by line range and name only (`resource.flow_logs`), without its type.
 */
export function addressLines(text: string): Map<number, string> {
  const found = new Map<number, string>();
  let block: string | undefined;
  let type: string | undefined;
  text.split("\n").forEach((line, i) => {
    const m = /^( *)"([^"]+)": \{/.exec(line);
    if (!m) return;
    const depth = m[1]!.length / 2;
    if (depth === 1) block = m[2];
    else if (depth === 2) type = m[2];
    else if (depth === 3 && (block === "resource" || block === "data")) found.set(i + 1, `${block === "data" ? "data." : ""}${type}.${m[2]}`);
  });
  return found;
}

function runCheckov(binary: string, input: string, id: string, addressAt: (stack: string, line: number) => string | undefined): Finding[] {
    const args = ["-d", input, "--framework", "terraform_json", "-o", "json", "--quiet", "--compact", "--soft-fail", "--skip-download"];
    if (CHECKOV_SKIPS.length > 0) args.push("--skip-check", CHECKOV_SKIPS.map((s) => s.id).join(","));
    const result = spawnSync(binary, args, { encoding: "utf8", maxBuffer: 256 * 1024 * 1024, env: { ...process.env, BC_SKIP_MAPPING: "TRUE" } });
    if (result.error || result.status !== 0) {
      const why = result.error?.message ?? result.stderr.trim().split("\n").slice(-1)[0] ?? `exit ${result.status}`;
      throw new CheckUnavailable(`checkov (${binary}) did not run: ${why}`);
    }
    try {
      return parseCheckov(result.stdout, id, addressAt);
    } catch {
      throw new CheckUnavailable(`checkov (${binary}) printed something other than its JSON report: ${result.stdout.slice(0, 200)}`);
    }
}
