import { execFileSync } from "node:child_process";
import { accessSync, constants, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { type CheckovSubject, checkovSkip } from "./checkov-skips";

/** The pinned Checkov release `.ci/run` and `scripts/install-checkov.sh` install into `.cache/venv`. */
export const CHECKOV_VERSION = "3.3.30";

/**
 * The checkov executable: `SHIPYARD_CHECKOV` when set, else the project's virtual environment (the pinned release
 * `.ci/run` installs), else `checkov` on PATH; undefined when none is an executable file.
 */
export function checkovExecutable(projectRoot: string): string | undefined {
  // SHIPYARD_CHECKOV, when set, is the one to use: a wrong path is "not installed", never another checkov.
  const candidates = process.env.SHIPYARD_CHECKOV
    ? [process.env.SHIPYARD_CHECKOV]
    : [
        path.join(projectRoot, ".cache", "venv", "bin", "checkov"),
        ...(process.env.PATH ?? "")
          .split(path.delimiter)
          .filter(Boolean)
          .map((dir) => path.join(dir, "checkov")),
      ];
  return candidates.find((file) => {
    try {
      accessSync(file, constants.X_OK);
      return statSync(file).isFile();
    } catch {
      return false;
    }
  });
}

/**
 * Copies `<synthDir>/stacks/<stack>/cdk.tf.json` to `<outDir>/<stack>/cdk.tf.json` in the shape Checkov's
 * terraform_json parser reads: without CDKTF's `//` metadata and without the `terraform` block (backend
 * and provider requirements, which no check reads and which the parser cannot take).
 */
export function prepareForCheckov(synthDir: string, outDir: string): Map<string, Record<string, unknown>> {
  const stacks = new Map<string, Record<string, unknown>>();
  for (const stack of readdirSync(path.join(synthDir, "stacks")).sort()) {
    const json = stripComments(JSON.parse(readFileSync(path.join(synthDir, "stacks", stack, "cdk.tf.json"), "utf8"))) as Record<
      string,
      unknown
    >;
    delete json.terraform;
    mkdirSync(path.join(outDir, stack), { recursive: true });
    writeFileSync(path.join(outDir, stack, "cdk.tf.json"), JSON.stringify(json, null, 1));
    stacks.set(stack, json);
  }
  return stacks;
}

function stripComments(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripComments);
  if (value && typeof value === "object")
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => k !== "//")
        .map(([k, v]) => [k, stripComments(v)]),
    );
  return value;
}

export interface CheckovFinding {
  readonly stack: string;
  readonly checkId: string;
  readonly checkName: string;
  readonly resource: string;
  /** Where checkov documents the check, when it says. */
  readonly guideline?: string;
}

export interface CheckovReport {
  readonly passed: number;
  /** Failed checks no skip or waiver covers. */
  readonly failed: CheckovFinding[];
  /** Failed checks covered by a skip (reason in checkov-skips.ts) or by the environment's waiver. */
  readonly skipped: (CheckovFinding & { readonly reason: string })[];
  readonly parsingErrors: number;
}

/** Checkov's own result: passed and parsing-error counts, and every failed check. */
export interface CheckovRun {
  readonly passed: number;
  readonly parsingErrors: number;
  readonly failedChecks: readonly CheckovFinding[];
}

/** Runs Checkov (`--framework terraform_json`, JSON output, no network) on the prepared folder. */
export function runCheckov(executable: string, preparedDir: string): CheckovRun {
  let out: string;
  try {
    out = execFileSync(
      executable,
      ["-d", preparedDir, "--framework", "terraform_json", "-o", "json", "--quiet", "--compact", "--skip-download"],
      {
        encoding: "utf8",
        maxBuffer: 256 * 1024 * 1024,
        env: { ...process.env, BC_SKIP_MAPPING: "TRUE", CHECKOV_RUN_SCA_PACKAGE_SCAN_V2: "false", LOG_LEVEL: "ERROR" },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
  } catch (error) {
    // Exit 1 means "some check failed": the report is still on stdout.
    const e = error as { status?: number; stdout?: string };
    if (e.status !== 1 || !e.stdout) throw error;
    out = e.stdout;
  }
  const parsed = (out.trim() === "" ? [] : JSON.parse(out)) as unknown;
  const reports = (Array.isArray(parsed) ? parsed : [parsed]) as {
    summary?: { passed?: number; parsing_errors?: number };
    results?: {
      failed_checks?: { check_id: string; check_name: string; resource: string; file_path: string; guideline?: string | null }[];
    };
  }[];
  let passed = 0;
  let parsingErrors = 0;
  const failedChecks: CheckovFinding[] = [];
  for (const report of reports) {
    passed += report.summary?.passed ?? 0;
    parsingErrors += report.summary?.parsing_errors ?? 0;
    for (const f of report.results?.failed_checks ?? []) {
      const stack = f.file_path.split("/").filter(Boolean)[0]!;
      failedChecks.push({
        stack,
        checkId: f.check_id,
        checkName: f.check_name,
        resource: f.resource,
        ...(f.guideline ? { guideline: f.guideline } : {}),
      });
    }
  }
  return { passed, parsingErrors, failedChecks };
}

/**
 * Sorts Checkov's failures into skipped (listed in checkov-skips.ts and applying to the resource;
 * waivable ones only where the stack's environment waives them) and failed.
 */
export function classifyCheckov(
  run: CheckovRun,
  stacks: ReadonlyMap<string, Record<string, unknown>>,
  waivedChecks: (stack: string) => readonly string[],
): CheckovReport {
  const failed: CheckovFinding[] = [];
  const skipped: (CheckovFinding & { reason: string })[] = [];
  for (const finding of run.failedChecks) {
    const skip = checkovSkip(finding.checkId);
    const applies = skip && (!skip.appliesTo || skip.appliesTo(subjectOf(finding.resource, stacks.get(finding.stack))));
    const waived = skip && (!skip.waivable || waivedChecks(finding.stack).includes(finding.checkId));
    if (skip && applies && waived) skipped.push({ ...finding, reason: skip.waivable ? `waived: ${skip.reason}` : skip.reason });
    else failed.push(finding);
  }
  return { passed: run.passed, failed, skipped, parsingErrors: run.parsingErrors };
}

/**
 * The synthesized block behind a Checkov resource address: `<type>.<name>`, or `data.<name>` /
 * `resource.<name>` (Checkov's terraform_json runner leaves the type out of some), found by name.
 */
export function subjectOf(address: string, stack: Record<string, unknown> | undefined): CheckovSubject {
  const parts = address.split(".");
  const kinds = parts[0] === "data" ? ["data"] : parts[0] === "resource" ? ["resource"] : ["resource", "data"];
  const name = parts[parts.length - 1]!;
  const explicitType = parts.length === 3 ? parts[1] : parts[0] !== "data" && parts[0] !== "resource" ? parts[0] : undefined;
  for (const kind of kinds) {
    const blocks = (stack?.[kind] ?? {}) as Record<string, Record<string, Record<string, unknown>>>;
    for (const [type, byName] of Object.entries(blocks)) {
      if (explicitType && type !== explicitType) continue;
      if (byName[name]) return { type, address, body: byName[name] };
    }
  }
  return { type: explicitType ?? "unknown", address };
}
