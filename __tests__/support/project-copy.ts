/**
 * A copy of the project's inputs at another path, for tests that run the real CLI where its output, deploy
 * record or edited environment files must not touch the checkout. One list of what a project is: synthesis
 * reads `ci/pods/` too, so a copy without it fails in ways that have nothing to do with the test.
 */
import { cpSync, symlinkSync } from "node:fs";
import * as path from "node:path";
import { ROOT } from "./environments";
import { tempDir } from "./temp-dirs";

/** What a project needs to validate, synthesize and deploy; `node_modules` is shared through a link. */
export const PROJECT_ENTRIES = [
  "bin",
  "src",
  "modules",
  "environments",
  "ci",
  "main.ts",
  "package.json",
  "package-lock.json",
  "tsconfig.json",
  "cdktf.json",
];

/**
 * Copies the project into a new temporary folder (removed after the test file). Timestamps are kept, so the
 * CLI reuses its cached bundle instead of building one per copy.
 */
export function projectCopy(prefix: string, extra: readonly string[] = []): string {
  const dir = tempDir(prefix);
  for (const entry of [...PROJECT_ENTRIES, ...extra]) {
    cpSync(path.join(ROOT, entry), path.join(dir, entry), { recursive: true, preserveTimestamps: true });
  }
  symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
  return dir;
}
