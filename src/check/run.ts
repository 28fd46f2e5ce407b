import { CHECKS } from "./checks";
import type { CheckContext, Finding, ShipyardCheck } from "./types";

/** Runs the chosen checks in registry order and collects their findings. */
export async function runChecks(ctx: CheckContext, checks: readonly ShipyardCheck[] = CHECKS): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const check of checks) findings.push(...(await check.run(ctx)));
  return findings;
}

/** The registry filtered by `--only` and `--skip` (ids checked by the caller). */
export function chooseChecks(only: readonly string[], skip: readonly string[]): ShipyardCheck[] {
  return CHECKS.filter((c) => (only.length === 0 || only.includes(c.id)) && !skip.includes(c.id));
}
