import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import type { SnapshotFiles } from "./snapshot";

/**
 * Replaces `dir` with exactly `files`: written to a sibling folder first and swapped in, so a failure
 * leaves the previous snapshot untouched and no stale file survives.
 */
export function writeSnapshot(dir: string, files: SnapshotFiles): void {
  const staging = `${dir}.tmp-${process.pid}`;
  const previous = `${dir}.old-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  try {
    for (const [file, content] of files) {
      const target = path.join(staging, ...file.split("/"));
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, content);
    }
    rmSync(previous, { recursive: true, force: true });
    try {
      renameSync(dir, previous);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
    renameSync(staging, dir);
    rmSync(previous, { recursive: true, force: true });
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
