import { stacksFromFiles } from "./baseline";
import { compareArtifacts } from "./artifacts";
import { compareStacks } from "./compare";
import type { Review } from "./format";
import type { SnapshotFiles } from "../snapshot/snapshot";

/** Whether a generated file belongs to one environment (`terraform/dev-network.tf.json`, `monitoring/dev/…`, `ansible/dev.yml`). */
export function belongsTo(file: string, env: string): boolean {
  const parts = file.split("/");
  return parts.some((part, i) => i > 0 && (part === env || part.startsWith(`${env}-`) || part.startsWith(`${env}.`)));
}

/**
 * The files of a snapshot that concern the selected environments: theirs, and the ones that belong
 * to no environment (the JSON Schema, shared dashboards).
 */
export function selectFiles(files: SnapshotFiles, selected: readonly string[], known: readonly string[]): SnapshotFiles {
  return new Map([...files].filter(([file]) => selected.some((env) => belongsTo(file, env)) || !known.some((env) => belongsTo(file, env))));
}

/** Reviews a change from one snapshot to another, limited to the selected environments. */
export function review(
  against: string,
  before: SnapshotFiles,
  after: SnapshotFiles,
  selected: readonly string[],
  known: readonly string[],
): Review {
  const a = selectFiles(before, selected, known);
  const b = selectFiles(after, selected, known);
  return { against, stacks: compareStacks(stacksFromFiles(a), stacksFromFiles(b)), artifacts: compareArtifacts(a, b) };
}
