import type { EnvironmentConfig } from "../config";

/**
 * A writer of reviewed artefacts under `generated/` other than the Terraform JSON: a pure function of
 * the validated environments returning file contents keyed by path relative to `generated/`.
 * Output must be deterministic (sorted keys, no timestamps, no absolute paths) and end with a newline.
 */
export interface Generator {
  /** Short name shown by `shipyard snapshot`. */
  readonly name: string;
  /**
   * Top-level folders under `generated/` this generator writes, and the only ones it may write: no two
   * generators (nor the Terraform files under `terraform/`) can overwrite each other's files.
   */
  readonly owns: readonly string[];
  generate(envs: readonly EnvironmentConfig[]): Record<string, string>;
}

/** Stable JSON: two-space indent, keys in insertion order (build objects in a fixed order), newline at end. */
export function toJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
