import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { ConfigError } from "../../config";
import { CHECKS } from "../../check/checks";
import { CHECK_FORMATS, formatFindings } from "../../check/format";
import { chooseChecks, runChecks } from "../../check/run";
import { CheckUnavailable, type StackJson } from "../../check/types";
import { readManifest } from "../../deploy/graph";
import { DEFAULT_OUTDIR } from "../../snapshot/snapshot";
import { synthesizeInto } from "../../synth/synthesize";
import { removeTemporary, trackTemporary } from "../cleanup";
import { loadSelected, projectRoot, type CommonOptions } from "../context";
import { checkFormat } from "./diff";

export interface CheckOptions extends CommonOptions {
  format: string;
  only: string[];
  skip: string[];
}

export async function runCheck(options: CheckOptions): Promise<number> {
  const format = checkFormat(options.format, CHECK_FORMATS);
  const ids = CHECKS.map((c) => c.id);
  for (const [flag, list] of [
    ["--only", options.only],
    ["--skip", options.skip],
  ] as const) {
    const unknown = list.filter((id) => !ids.includes(id));
    if (unknown.length > 0)
      throw ConfigError.single("shipyard", `unknown check ${unknown.join(", ")} (expected one of: ${ids.join(", ")})`, flag);
  }
  const root = projectRoot();
  const envs = loadSelected(options);
  const checks = chooseChecks(options.only, options.skip);
  if (envs.length === 0) {
    process.stdout.write(formatFindings({ checks: checks.map(({ id, title }) => ({ id, title })), findings: [] }, format));
    return 0;
  }
  const outdir = trackTemporary(mkdtempSync(path.join(tmpdir(), "shipyard-check-")));
  try {
    synthesizeInto(envs, outdir, DEFAULT_OUTDIR);
    const manifest = readManifest(outdir);
    const stacks = new Map(
      [...manifest.values()].map((s) => [s.name, JSON.parse(readFileSync(path.join(outdir, s.synthesizedStackPath), "utf8")) as StackJson]),
    );
    let findings;
    try {
      findings = await runChecks({ root, envs, outdir, stacks }, checks);
    } catch (error) {
      if (error instanceof CheckUnavailable) throw ConfigError.single("shipyard", error.message, "check");
      throw error;
    }
    const version = (require("../../../package.json") as { version: string }).version;
    process.stdout.write(formatFindings({ checks: checks.map(({ id, title }) => ({ id, title })), findings }, format, version));
    return findings.some((f) => f.severity !== "note") ? 1 : 0;
  } finally {
    removeTemporary(outdir);
  }
}
