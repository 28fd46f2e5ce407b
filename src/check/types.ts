import type { EnvironmentConfig } from "../config";

export type Severity = "error" | "warning" | "note";

/** One problem a check found. */
export interface Finding {
  /** The check's id, e.g. `iam-actions`, `checkov`. */
  readonly check: string;
  readonly severity: Severity;
  /** `prod-cluster`, when the finding belongs to a stack. */
  readonly stack?: string;
  /** Terraform address or JSON path within the stack. */
  readonly resource?: string;
  /** What is wrong and what is expected, in one line. */
  readonly message: string;
  /** A rule id below the check (checkov's `CKV_AWS_…`) and where to read more. */
  readonly rule?: string;
  readonly helpUri?: string;
}

/** Synthesized Terraform JSON of one stack. */
export type StackJson = Record<string, unknown>;

/** What every check gets. */
export interface CheckContext {
  readonly root: string;
  readonly envs: readonly EnvironmentConfig[];
  /** Folder holding the synthesis (`manifest.json`, `stacks/<stack>/cdk.tf.json`). */
  readonly outdir: string;
  readonly stacks: ReadonlyMap<string, StackJson>;
}

/**
 * One check of `shipyard check`. Adding one is a file in `src/check/checks/` exporting a
 * `ShipyardCheck`, plus its line in `src/check/checks/index.ts`.
 */
export interface ShipyardCheck {
  readonly id: string;
  readonly title: string;
  run(ctx: CheckContext): Promise<Finding[]> | Finding[];
}

/** A check that cannot run at all (its tool is missing): the command exits 2 with this message. */
export class CheckUnavailable extends Error {}
