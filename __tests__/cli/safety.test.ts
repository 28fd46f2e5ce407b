import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT } from "../support/environments";
import { pathWithoutTerraform, scratchDir, shipyardAsync as shipyard } from "../support/cli";
import { collect, fileSystemMessage } from "../../src/cli/program";

const created: string[] = [];
afterAll(() => {
  for (const dir of created) rmSync(dir, { recursive: true, force: true });
});

/** A folder holding only cdktf.json and environments/: enough to be a project for the CLI. */
function inputsOnly(edit?: (envDir: string) => void): string {
  const dir = mkdtempSync(path.join(tmpdir(), "shipyard-safety-"));
  created.push(dir);
  cpSync(path.join(ROOT, "cdktf.json"), path.join(dir, "cdktf.json"));
  cpSync(path.join(ROOT, "environments"), path.join(dir, "environments"), { recursive: true });
  edit?.(path.join(dir, "environments"));
  return dir;
}

/** Runs the project's CLI from another folder (the CLI finds the project root from there). */
function shipyardIn(cwd: string, args: string[]) {
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, "bin", "shipyard.js"), ...args], {
      cwd,
      env: { PATH: pathWithoutTerraform(), NO_COLOR: "1" },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

describe.concurrent("synth --out never replaces what Shipyard did not write", () => {
  it.each([
    ["environments", /inside environments\/, which synth never replaces/],
    ["generated", /inside generated\/, which synth never replaces/],
    [".git", /inside \.git\/, which synth never replaces/],
    ["node_modules", /inside node_modules\/, which synth never replaces/],
    ["src/out", /inside src\/, which synth never replaces/],
    [".", /is not a folder inside the project/],
    ["README.md", /exists and is not a folder/],
    ["README.md/out", /cannot be created: README\.md is a file/],
  ])("--out %s: exit 2, one line, nothing touched", async (out, message) => {
    const before = readdirSync(path.join(ROOT, "environments")).sort();
    const result = await shipyard(["synth", "--env", "dev", "--out", out]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(readdirSync(path.join(ROOT, "environments")).sort()).toEqual(before);
  });

  it("refuses a folder holding someone else's files and leaves them alone", async () => {
    const out = scratchDir("foreign");
    created.push(path.join(ROOT, out));
    mkdirSync(path.join(ROOT, out), { recursive: true });
    writeFileSync(path.join(ROOT, out, "notes.txt"), "mine");
    const result = await shipyard(["synth", "--env", "dev", "--out", out]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/holds files Shipyard did not write \(no \.shipyard-output marker/);
    expect(readFileSync(path.join(ROOT, out, "notes.txt"), "utf8")).toBe("mine");
  });

  it("replaces its own output (marked), and two concurrent runs into one folder both succeed", { timeout: 120_000 }, async () => {
    const out = scratchDir("own");
    created.push(path.join(ROOT, out));
    const [a, b] = await Promise.all([
      shipyard(["synth", "--env", "dev", "--out", out]),
      shipyard(["synth", "--env", "dev", "--out", out]),
    ]);
    expect([a.status, b.status, a.stderr + b.stderr]).toEqual([0, 0, expect.any(String)]);
    expect(readdirSync(path.join(ROOT, out)).sort()).toEqual([".shipyard-output", "manifest.json", "stacks"]);
    const again = await shipyard(["synth", "--env", "dev", "--out", out]);
    expect(again.status).toBe(0);
    const base = path.basename(out);
    expect(readdirSync(path.dirname(path.join(ROOT, out))).filter((f) => f.startsWith(`.${base}.`))).toEqual([]);
  });

  it("on Ctrl-C removes its temporary folder, keeps the old output, prints one line and exits 130", { timeout: 120_000 }, async () => {
    const out = scratchDir("interrupt");
    created.push(path.join(ROOT, out));
    expect((await shipyard(["synth", "--env", "dev", "--out", out])).status).toBe(0);
    const marker = readFileSync(path.join(ROOT, out, "manifest.json"), "utf8");
    const parent = path.dirname(path.join(ROOT, out));
    const child = spawn(process.execPath, [path.join(ROOT, "bin", "shipyard.js"), "synth", "--out", out], {
      cwd: ROOT,
      env: { PATH: pathWithoutTerraform(), NO_COLOR: "1" },
    });
    let stderr = "";
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    const staging = `.${path.basename(out)}.tmp-${child.pid}`;
    // Interrupt once the staging folder exists, i.e. in the middle of the synthesis.
    while (!existsSync(path.join(parent, staging)) && child.exitCode === null) await new Promise((r) => setTimeout(r, 10));
    child.kill("SIGINT");
    const status = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(status).toBe(130);
    expect(stderr.trim()).toMatch(/^shipyard: interrupted \(SIGINT\); removed \d+ temporary folder\(s\), nothing was replaced$/);
    expect(readdirSync(parent).filter((f) => f.startsWith(`.${path.basename(out)}.`))).toEqual([]);
    expect(readFileSync(path.join(ROOT, out, "manifest.json"), "utf8")).toBe(marker);
  });
});

describe.concurrent("the command line", () => {
  it("finds the project from a subfolder", async () => {
    const fromSub = await shipyardIn(path.join(ROOT, "src", "config"), ["validate", "--env", "dev"]);
    expect(fromSub.status).toBe(0);
    expect(fromSub.stderr).toMatch(/valid environments\/dev\.yaml/);
  });

  it("says so outside a project", async () => {
    const result = await shipyardIn(tmpdir(), ["validate"]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/is not inside a Shipyard project \(expected cdktf\.json and environments\/ in it or a folder above\)/);
  });

  it("prints its version", async () => {
    const result = await shipyard(["--version"]);
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toBe(JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")).version);
  });

  it("takes --env as a comma-separated list as well as repeated", async () => {
    const result = await shipyard(["validate", "--env", "dev,prod", "--env", "staging"]);
    expect(result.status).toBe(0);
    expect(result.stderr.match(/^valid /gm)).toHaveLength(3);
    expect(collect("a, b", ["x"])).toEqual(["x", "a", "b"]);
  });

  it("reports a wrong tier once, without the errors of the defaults it would have filled", async () => {
    const project = inputsOnly((dir) => {
      const file = path.join(dir, "prod.yaml");
      writeFileSync(file, readFileSync(file, "utf8").replace(/^tier: prod$/m, "tier: production"));
    });
    const result = await shipyardIn(project, ["validate", "--env", "prod"]);
    expect(result.status).toBe(2);
    expect(result.stderr.trim()).toMatch(
      /^environments\/prod\.yaml:\d+:\d+: tier: got "production" \(expected one of: dev, staging, prod\)$/,
    );
  });
});

describe("file-system errors are user errors (exit 2) with one line", () => {
  it.each([
    ["EACCES", "permission denied"],
    ["EROFS", "read-only file system"],
    ["ENOSPC", "no space left on the device"],
    ["ENOTDIR", "a part of the path is a file, not a folder"],
  ])("%s", (code, meaning) => {
    const error = Object.assign(new Error(`${code}: x`), { code, path: path.join(process.cwd(), "cdktf.out") });
    expect(fileSystemMessage(error)).toBe(`shipyard: cdktf.out: ${meaning} (${code}; expected a writable folder with free space)`);
  });

  it("leaves other errors to the internal-error path", () => {
    expect(fileSystemMessage(new Error("boom"))).toBeUndefined();
  });
});
