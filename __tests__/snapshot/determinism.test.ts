import { spawn } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../support/environments";
import { pathWithoutTerraform, shipyardAsync, type CliResult } from "../support/cli";
import { projectCopy } from "../support/project-copy";

function files(dir: string, rel = ""): string[] {
  return readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(dir, path.join(rel, e.name)) : [path.join(rel, e.name)],
  );
}

/** `cdktf synth` as users run it (the cdktf CLI starts main.ts through cdktf.json), offline. */
function cdktfSynth(cwd: string, out: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [path.join(ROOT, "node_modules", "cdktf-cli", "bundle", "bin", "cdktf"), "synth", "--output", out],
      {
        cwd,
        env: { PATH: pathWithoutTerraform(), HOME: cwd, CHECKPOINT_DISABLE: "1", CI: "1", SHIPYARD_OUTDIR: out },
        timeout: 120_000,
      },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString("utf8")));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

let a: string;
let b: string;
let results: CliResult[];

beforeAll(async () => {
  a = projectCopy("shipyard-a-");
  b = projectCopy("shipyard-second-checkout-");
  // Both output folders sit one level below their project, so local state paths are comparable.
  results = await Promise.all([shipyardAsync(["synth"], { cwd: a }), shipyardAsync(["synth"], { cwd: b }), cdktfSynth(a, "cdktf-cli.out")]);
}, 180_000);

describe("synthesis is deterministic", () => {
  it("gives byte-identical output from two checkouts at different paths, with no absolute path, user or host name", () => {
    expect(results[0]!.status, results[0]!.stderr).toBe(0);
    expect(results[1]!.status, results[1]!.stderr).toBe(0);
    const listA = files(path.join(a, "cdktf.out")).sort();
    expect(listA).toEqual(files(path.join(b, "cdktf.out")).sort());
    expect(listA.length).toBeGreaterThan(15);
    for (const file of listA) {
      const content = readFileSync(path.join(a, "cdktf.out", file), "utf8");
      expect(content, file).toBe(readFileSync(path.join(b, "cdktf.out", file), "utf8"));
      expect(content, file).not.toContain(a);
      expect(content, file).not.toContain(`${tmpdir()}/`);
      expect(content, file).not.toContain(ROOT);
      expect(content, file).not.toMatch(/"\/(home|root|Users|tmp|work)\//);
      expect(content, file).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d/);
    }
  });
});

describe("cdktf synth keeps working beside shipyard synth", () => {
  it("writes the same stacks, byte for byte, with no terraform on PATH", () => {
    expect(results[2]!.status, results[2]!.stderr + results[2]!.stdout).toBe(0);
    const stacks = readdirSync(path.join(a, "cdktf.out", "stacks")).sort();
    expect(readdirSync(path.join(a, "cdktf-cli.out", "stacks")).sort()).toEqual(stacks);
    for (const stack of stacks) {
      const fromCdktf = readFileSync(path.join(a, "cdktf-cli.out", "stacks", stack, "cdk.tf.json"), "utf8");
      expect(fromCdktf, stack).toBe(readFileSync(path.join(a, "cdktf.out", "stacks", stack, "cdk.tf.json"), "utf8"));
    }
  });
});
