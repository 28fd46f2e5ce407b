import { dependentsOf, type Manifest } from "./graph";
import { fingerprint, type DeployRecord } from "./record";

/** Why a stack is in the run. */
export type Reason = "changed" | "never deployed" | "dependent" | "all" | "named";

export interface Baseline {
  /** Shown to the user: `origin/main`, `last deploy (.shipyard/deployed/prod.json)`, … */
  readonly label: string;
  /** The stack's fingerprint in the baseline; undefined when the baseline does not have the stack. */
  fingerprintOf(stack: string): string | undefined;
}

/** A baseline from stacks' Terraform JSON (a git ref's `generated/terraform/`). */
export function baselineFromStacks(label: string, stacks: ReadonlyMap<string, unknown>): Baseline {
  const prints = new Map([...stacks].map(([name, json]) => [name, fingerprint(json)]));
  return { label, fingerprintOf: (stack) => prints.get(stack) };
}

/** A baseline from what was recorded as deployed. */
export function baselineFromRecord(label: string, record: DeployRecord): Baseline {
  return { label, fingerprintOf: (stack) => record.stacks[stack]?.sha256 };
}

export interface SelectOptions {
  readonly all?: boolean;
  /** Stacks named with `--stack`. */
  readonly named?: readonly string[];
  /** Add the stacks that depend on a selected one (default true). */
  readonly dependents?: boolean;
}

/**
 * The stacks a run covers, with the reason for each: all, the named ones, or those whose synthesized
 * JSON differs from the baseline (a stack the baseline lacks was never deployed); then, unless told
 * otherwise, every stack that depends on one of them.
 */
export function selectStacks(
  manifest: Manifest,
  current: ReadonlyMap<string, unknown>,
  baselineOf: (stack: string) => Baseline,
  options: SelectOptions,
): Map<string, Reason> {
  const selected = new Map<string, Reason>();
  for (const stack of [...manifest.keys()].sort()) {
    if (options.all) selected.set(stack, "all");
    else if (options.named && options.named.length > 0) {
      if (options.named.includes(stack)) selected.set(stack, "named");
    } else {
      const before = baselineOf(stack).fingerprintOf(stack);
      if (before === undefined) selected.set(stack, "never deployed");
      else if (before !== fingerprint(current.get(stack))) selected.set(stack, "changed");
    }
  }
  if (options.dependents !== false) {
    for (const stack of [...dependentsOf(manifest, selected.keys())].sort()) if (!selected.has(stack)) selected.set(stack, "dependent");
  }
  return selected;
}
