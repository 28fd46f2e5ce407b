import { mkdirSync, readFileSync, writeFileSync, chmodSync, existsSync } from "node:fs";
import * as path from "node:path";
import { pathWithoutTerraform } from "./cli";
import { tempDir } from "./temp-dirs";

/** One call the stand-in terraform received. */
export interface TerraformCall {
  stack: string;
  command: string;
  args: string[];
  /** How many stand-in calls were running when this one started, itself included. */
  concurrent: number;
}

/**
 * A stand-in `terraform` on PATH: records each call (stack = the folder it runs in), answers `plan`
 * with "changes" (exit 2) unless the stack is listed in FAKE_TF_NO_CHANGES, and fails (exit 1) the
 * calls listed in FAKE_TF_FAIL as `<stack>:<command>`. `plan` takes a moment so runs overlap.
 */
export function fakeTerraform(): { env: Record<string, string>; calls: () => TerraformCall[] } {
  const dir = tempDir("shipyard-fake-tf-");
  const bin = path.join(dir, "bin");
  mkdirSync(path.join(dir, "running"), { recursive: true });
  mkdirSync(bin);
  const log = path.join(dir, "calls.jsonl");
  writeFileSync(
    path.join(bin, "terraform"),
    `#!/usr/bin/env node
const fs = require("fs"), path = require("path");
const dir = ${JSON.stringify(dir)};
const stack = path.basename(process.cwd());
const [command, ...args] = process.argv.slice(2);
const marker = path.join(dir, "running", String(process.pid));
fs.writeFileSync(marker, "");
const concurrent = fs.readdirSync(path.join(dir, "running")).length;
fs.appendFileSync(${JSON.stringify(log)}, JSON.stringify({ stack, command, args, concurrent }) + "\\n");
const finish = (code) => { fs.rmSync(marker, { force: true }); console.log("fake terraform " + command + " in " + stack); process.exit(code); };
const fail = (process.env.FAKE_TF_FAIL || "").split(",").includes(stack + ":" + command);
const quiet = (process.env.FAKE_TF_NO_CHANGES || "").split(",").some((s) => s === "all" || s === stack);
if (command === "plan") setTimeout(() => finish(fail ? 1 : quiet ? 0 : 2), 400);
else finish(fail ? 1 : 0);
`,
  );
  chmodSync(path.join(bin, "terraform"), 0o755);
  return {
    env: { PATH: `${bin}${path.delimiter}${pathWithoutTerraform()}` },
    calls: () =>
      existsSync(log)
        ? readFileSync(log, "utf8")
            .trim()
            .split("\n")
            .filter(Boolean)
            .map((l) => JSON.parse(l) as TerraformCall)
        : [],
  };
}
