import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT } from "../support/environments";
import { pathWithoutTerraform, shipyard } from "../support/cli";
import { spawnSync } from "node:child_process";

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function checkout(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  dirs.push(dir);
  for (const entry of ["bin", "src", "modules", "environments", "main.ts", "package.json", "tsconfig.json", "cdktf.json"]) {
    cpSync(path.join(ROOT, entry), path.join(dir, entry), { recursive: true });
  }
  symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
  return dir;
}

function files(dir: string, rel = ""): string[] {
  return readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(dir, path.join(rel, e.name)) : [path.join(rel, e.name)],
  );
}

describe("synthesis is deterministic", () => {
  it("gives byte-identical output from two checkouts at different paths, with no absolute path, user or host name", { timeout: 120_000 }, () => {
    const a = checkout("shipyard-a-");
    const b = checkout("shipyard-second-checkout-");
    for (const dir of [a, b]) expect(shipyard(["synth"], { cwd: dir }).status).toBe(0);
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
  it("writes the same stacks, byte for byte, with no terraform on PATH", { timeout: 120_000 }, () => {
    const dir = checkout("shipyard-cdktf-");
    const cdktf = spawnSync(process.execPath, [path.join(ROOT, "node_modules", "cdktf-cli", "bundle", "bin", "cdktf"), "synth", "--output", "cdktf-cli.out"], {
      cwd: dir,
      encoding: "utf8",
      env: { PATH: pathWithoutTerraform(), HOME: dir, CHECKPOINT_DISABLE: "1", CI: "1", SHIPYARD_OUTDIR: "cdktf-cli.out" },
      timeout: 120_000,
    });
    expect(cdktf.status, cdktf.stderr + cdktf.stdout).toBe(0);
    expect(shipyard(["synth", "--out", "shipyard.out"], { cwd: dir }).status).toBe(0);
    const stacks = readdirSync(path.join(dir, "shipyard.out", "stacks")).sort();
    expect(readdirSync(path.join(dir, "cdktf-cli.out", "stacks")).sort()).toEqual(stacks);
    for (const stack of stacks) {
      const fromCdktf = readFileSync(path.join(dir, "cdktf-cli.out", "stacks", stack, "cdk.tf.json"), "utf8");
      // Local state paths are relative to each output folder, and both folders sit at the same depth.
      expect(fromCdktf, stack).toBe(readFileSync(path.join(dir, "shipyard.out", "stacks", stack, "cdk.tf.json"), "utf8"));
    }
  });
});
