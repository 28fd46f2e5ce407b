import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { estimateEnvironment, priceTableFor, stackRegionAndTier, type EnvironmentCost } from "../../cost/estimate";
import { COST_FORMATS, formatCost } from "../../cost/format";
import { readUsageOverrides, usageFor } from "../../cost/usage";
import { readManifest } from "../../deploy/graph";
import { baselineSnapshot, stacksFromFiles } from "../../review/baseline";
import { DEFAULT_OUTDIR } from "../../snapshot/snapshot";
import { synthesizeInto } from "../../synth/synthesize";
import { removeTemporary, trackTemporary } from "../cleanup";
import { loadSelected, projectRoot, type CommonOptions } from "../context";
import { checkFormat } from "./diff";

export interface CostOptions extends CommonOptions {
  against?: string;
  format: string;
}

type Json = Record<string, unknown>;

/** Estimates each environment of a set of stacks (`<env>-<layer>` → JSON). */
export function estimateAll(stacks: ReadonlyMap<string, Json>, envs: readonly string[], root: string): EnvironmentCost[] {
  const overrides = readUsageOverrides(root);
  return envs.flatMap((env) => {
    const mine = new Map([...stacks].filter(([name]) => name.startsWith(`${env}-`)));
    if (mine.size === 0) return [];
    const first = [...mine.values()].map(stackRegionAndTier).find((s) => s.region);
    const prices = priceTableFor(first?.region ?? "unknown", env);
    return [estimateEnvironment(env, mine, usageFor(env, first?.tier ?? "dev", overrides), prices)];
  });
}

export function runCost(options: CostOptions): number {
  const format = checkFormat(options.format, COST_FORMATS);
  const root = projectRoot();
  const envs = loadSelected(options);
  const names = envs.map((e) => e.name);
  if (envs.length === 0) {
    process.stdout.write(formatCost({ envs: [] }, format));
    return 0;
  }
  const baseline = options.against !== undefined ? stacksFromFiles(baselineSnapshot(root, options.against), names) : undefined;
  const dir = trackTemporary(mkdtempSync(path.join(tmpdir(), "shipyard-cost-")));
  let current: Map<string, Json>;
  try {
    synthesizeInto(envs, dir, DEFAULT_OUTDIR);
    current = new Map(
      [...readManifest(dir).values()].map((s) => [
        s.name,
        JSON.parse(readFileSync(path.join(dir, s.synthesizedStackPath), "utf8")) as Json,
      ]),
    );
  } finally {
    removeTemporary(dir);
  }
  const report = {
    envs: estimateAll(current, names, root),
    ...(baseline ? { against: { ref: options.against!, envs: estimateAll(baseline, names, root) } } : {}),
  };
  process.stdout.write(formatCost(report, format));
  return 0;
}
