import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { ConfigError } from "../../config";
import { baselineFromGenerated, baselineFromGitRef } from "../../review/baseline";
import { compareStacks, type StackJson } from "../../review/compare";
import { formatDiff, type DiffFormat } from "../../review/format";
import { DEFAULT_OUTDIR } from "../../snapshot/snapshot";
import { synthesizeInto } from "../../synth/synthesize";
import { loadSelected, projectRoot, type CommonOptions } from "../context";

export interface DiffOptions extends CommonOptions {
  against: string;
  format: string;
  exitCode?: boolean;
}

const FORMATS: readonly DiffFormat[] = ["text", "markdown", "json"];

export function runDiff(options: DiffOptions): number {
  if (!FORMATS.includes(options.format as DiffFormat)) {
    throw ConfigError.single("shipyard", `got "${options.format}" (expected one of: ${FORMATS.join(", ")})`, "--format");
  }
  const root = projectRoot();
  const envs = loadSelected(options);
  const names = envs.map((e) => e.name);
  const before = options.against === "generated" ? baselineFromGenerated(root, names) : baselineFromGitRef(root, options.against, names);
  const after = new Map<string, StackJson>();
  const dir = mkdtempSync(path.join(tmpdir(), "shipyard-diff-"));
  try {
    for (const stack of synthesizeInto(envs, dir, DEFAULT_OUTDIR)) {
      after.set(stack, JSON.parse(readFileSync(path.join(dir, "stacks", stack, "cdk.tf.json"), "utf8")) as StackJson);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const changes = compareStacks(before, after);
  process.stdout.write(formatDiff(changes, options.format as DiffFormat, options.against));
  return options.exitCode && changes.length > 0 ? 1 : 0;
}
