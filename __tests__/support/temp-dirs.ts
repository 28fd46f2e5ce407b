/**
 * Temporary folders a test file creates, removed after the file by `temp-dirs-cleanup.ts` (a vitest setup
 * file): the run fails when a suite leaves one behind (global-setup.ts), and a helper that creates folders
 * for its callers (stand-in binaries, project copies) cannot know when they are done with them.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";

const created: string[] = [];

/** `mkdtemp` below the run's private TMPDIR, removed when the current test file ends. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

/** Removes every folder `tempDir` made so far. */
export function removeTempDirs(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}
