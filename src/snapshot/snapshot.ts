import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import type { EnvironmentConfig } from "../config";
import { GENERATORS, type Generator } from "../generate";
import { synthesizeInto } from "../synth/synthesize";

/** Where the reviewed snapshot lives, relative to the project root. */
export const GENERATED_DIR = "generated";
/** The folder synthesized files are meant for; local state paths in the snapshot are relative to it. */
export const DEFAULT_OUTDIR = "cdktf.out";

/** Files of the snapshot keyed by path relative to `generated/` (POSIX separators). */
export type SnapshotFiles = Map<string, string>;

/**
 * Renders everything `generated/` holds for the given environments: each stack's Terraform JSON as
 * `terraform/<stack>.tf.json` (exactly the file `shipyard synth` writes) plus every generator's files.
 */
export function renderSnapshot(envs: readonly EnvironmentConfig[], generators: readonly Generator[] = GENERATORS): SnapshotFiles {
  const files: SnapshotFiles = new Map();
  const dir = mkdtempSync(path.join(tmpdir(), "shipyard-snapshot-"));
  try {
    for (const stack of synthesizeInto(envs, dir, DEFAULT_OUTDIR)) {
      files.set(`terraform/${stack}.tf.json`, readFileSync(path.join(dir, "stacks", stack, "cdk.tf.json"), "utf8"));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  for (const generator of generators) {
    for (const [file, content] of Object.entries(generator.generate(envs))) {
      if (!generator.owns.includes(file.split("/")[0]!) || files.has(file)) {
        throw new Error(
          `the ${generator.name} generator writes ${file}, outside its folders (${generator.owns.join(", ")}) or over another's file`,
        );
      }
      files.set(file, content);
    }
  }
  return new Map([...files.entries()].sort(([a], [b]) => a.localeCompare(b)));
}

/** Reads a snapshot folder from disk in the same shape as `renderSnapshot`. */
export function readSnapshot(dir: string): SnapshotFiles {
  const files: SnapshotFiles = new Map();
  const walk = (rel: string) => {
    const abs = path.join(dir, rel);
    for (const entry of readdirSync(abs).sort()) {
      const child = rel ? `${rel}/${entry}` : entry;
      if (statSync(path.join(dir, child)).isDirectory()) walk(child);
      else files.set(child, readFileSync(path.join(dir, child), "utf8"));
    }
  };
  try {
    walk("");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  return files;
}

export interface SnapshotDifference {
  readonly added: string[];
  readonly removed: string[];
  readonly changed: string[];
}

export function compareSnapshots(onDisk: SnapshotFiles, fresh: SnapshotFiles): SnapshotDifference {
  return {
    added: [...fresh.keys()].filter((f) => !onDisk.has(f)),
    removed: [...onDisk.keys()].filter((f) => !fresh.has(f)),
    changed: [...fresh.keys()].filter((f) => onDisk.has(f) && onDisk.get(f) !== fresh.get(f)),
  };
}
