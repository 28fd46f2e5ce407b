/**
 * Once per `vitest run`: every temporary file of the run (the suites' own folders, CDKTF's
 * `Testing.app()` output folders, what child processes such as promtool or ansible write) goes below one
 * private folder, through TMPDIR, which worker threads and child processes inherit. At the end the
 * run fails when a suite left one of its own folders behind, and the private folder goes, so nothing
 * is ever left in the machine's temporary folder.
 */
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";

/**
 * Left behind by code the suites do not own, and removed with the private folder: CDKTF's `Testing.app()`
 * creates an output folder for every test App and never removes it (it writes nothing there in
 * `Testing.synth`); tsx (which `cdktf synth` runs main.ts with) keeps its compile cache in `tsx-<uid>`;
 * checkov's HCL parser (lark) caches its grammar in `.lark_cache_*.tmp`.
 */
const NOT_OURS = /^(cdktf\.outdir\.|tsx-\d+$|\.lark_cache_)/;

export default function setup(): () => void {
  const previous = process.env.TMPDIR;
  const root = mkdtempSync(path.join(tmpdir(), "shipyard-vitest-"));
  process.env.TMPDIR = root;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    const leftovers = readdirSync(root).filter((entry) => !NOT_OURS.test(entry));
    rmSync(root, { recursive: true, force: true });
    if (leftovers.length > 0) {
      // vitest reports an error thrown here but keeps its exit status: set it.
      process.stderr.write(
        `FAIL the test run left temporary files behind (a suite must remove what it creates, in afterAll or finally): ${leftovers.sort().join(", ")}\n`,
      );
      process.exitCode = 1;
    }
  };
}
