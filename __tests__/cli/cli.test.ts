import { cpSync, existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT } from "../support/environments";
import { scratchDir, shipyardAsync as shipyard } from "../support/cli";
import { projectCopy } from "../support/project-copy";

const created: string[] = [];
afterAll(() => {
  for (const dir of created) rmSync(dir, { recursive: true, force: true });
});

describe.concurrent("shipyard synth", () => {
  it("writes 6 stacks for each of the 4 environments with no terraform on PATH", { timeout: 120_000 }, async () => {
    const out = scratchDir("synth");
    created.push(path.join(ROOT, out));
    const result = await shipyard(["synth", "--out", out]);
    expect(result.stderr).toMatch(/synthesized 24 stacks of dev, prod, staging, tools/);
    expect(result.status).toBe(0);
    const stacks = readdirSync(path.join(ROOT, out, "stacks")).sort();
    expect(stacks).toEqual(
      ["dev", "prod", "staging", "tools"]
        .flatMap((env) => ["bootstrap", "cluster", "foundation", "network", "platform", "workloads"].map((l) => `${env}-${l}`))
        .sort(),
    );
    const manifest = JSON.parse(readFileSync(path.join(ROOT, out, "manifest.json"), "utf8"));
    expect(manifest.stacks["prod-network"].dependencies).toContain("prod-foundation");
  });

  it("synthesizes only the environments named with --env", { timeout: 120_000 }, async () => {
    const out = scratchDir("synth-dev");
    created.push(path.join(ROOT, out));
    const result = await shipyard(["synth", "--env", "dev", "--out", out]);
    expect(result.status).toBe(0);
    expect(readdirSync(path.join(ROOT, out, "stacks")).every((s) => s.startsWith("dev-"))).toBe(true);
  });

  it("refuses an output folder outside the project", async () => {
    const result = await shipyard(["synth", "--out", "/tmp/elsewhere"]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/--out: "\/tmp\/elsewhere" is not a folder inside the project/);
  });
});

describe.concurrent("bad input", () => {
  it.each([
    [["validate", "--env", "qa"], /--env: unknown environment qa \(expected one of: dev, prod, staging/],
    [["synth", "--bogus"], /unknown option '--bogus'/],
    [["deploy-everything"], /unknown command 'deploy-everything'/],
    [["diff", "--format", "xml"], /argument 'xml' is invalid/],
    [["diff", "--against", "no-such-ref"], /--against: unknown git ref "no-such-ref"/],
    [[], /Usage: shipyard/],
  ])("shipyard %j exits 2 with a clear message", async (args, message) => {
    const result = await shipyard(args);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
  });

  it(
    "reports a broken environment file with its position, writes nothing, and leaves the old output in place",
    { timeout: 120_000 },
    async () => {
      const project = projectCopy("shipyard-cli-");
      const out = "cdktf.out";
      expect((await shipyard(["synth", "--env", "dev"], { cwd: project })).status).toBe(0);
      const before = readFileSync(path.join(project, out, "stacks", "dev-network", "cdk.tf.json"), "utf8");
      const file = path.join(project, "environments", "dev.yaml");
      writeFileSync(file, readFileSync(file, "utf8").replace("azCount: 2", "azCount: two"));
      const result = await shipyard(["synth", "--env", "dev"], { cwd: project });
      expect(result.status).toBe(2);
      expect(result.stderr.trim()).toMatch(/^environments\/dev\.yaml:\d+:\d+: network\.azCount: got "two" \(expected a number\)$/);
      expect(readFileSync(path.join(project, out, "stacks", "dev-network", "cdk.tf.json"), "utf8")).toBe(before);
      expect(readdirSync(project).filter((f) => f.includes(".tmp-"))).toEqual([]);
    },
  );
});

describe("shipyard validate", () => {
  it("accepts the checked-in environments", async () => {
    const result = await shipyard(["validate"]);
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/valid environments\/prod\.yaml \(prod, eu-west-1, state: cloud\)/);
  });
});

describe.concurrent("--help", () => {
  it.each(["synth", "validate", "snapshot", "diff", "plan", "deploy", "check", "cost", "graph"])("documents %s", async (command) => {
    const result = await shipyard([command, "--help"]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/--env <name>/);
  });
});

describe.concurrent("shipyard diff", () => {
  it("shows no change against the reviewed snapshot", async () => {
    const result = await shipyard(["diff", "--env", "dev", "--exit-code"]);
    expect(result.stdout).toMatch(/^No changes against generated\./);
    expect(result.status).toBe(0);
  });

  it(
    "shows old → new values, the replacements first, as text and markdown, and exits 1 with --exit-code",
    { timeout: 120_000 },
    async () => {
      const project = projectCopy("shipyard-cli-");
      cpSync(path.join(ROOT, "generated"), path.join(project, "generated"), { recursive: true });
      const file = path.join(project, "environments", "dev.yaml");
      writeFileSync(file, readFileSync(file, "utf8").replace("cidr: 10.10.0.0/16", "cidr: 10.11.0.0/16"));
      const text = await shipyard(["diff", "--env", "dev", "--exit-code"], { cwd: project });
      expect(text.status).toBe(1);
      expect(text.stdout).toMatch(/^Against generated: \d+ to add, \d+ to change, \d+ to replace, 0 to destroy/);
      expect(text.stdout).toMatch(
        /WARNING: \d+ resource\(s\) will be destroyed or replaced:\n(.*\n)*  -\/\+ dev-network aws_vpc\.this \(cidr_block forces replacement\)/,
      );
      expect(text.stdout).toContain('cidr_block: "10.10.0.0/16" → "10.11.0.0/16"  (forces replacement)');
      expect(text.stdout).toMatch(/~ stack dev-network/);
      const markdown = (await shipyard(["diff", "--env", "dev", "--format", "markdown"], { cwd: project })).stdout;
      expect(markdown).toMatch(/^### Shipyard infrastructure diff/);
      expect(markdown).toMatch(/> \[!WARNING\]/);
      expect(markdown).toMatch(/<details><summary><code>dev-network<\/code>/);
      expect(markdown).toMatch(
        /\| -\/\+ \| `aws_vpc\.this` \| `cidr_block` \*\*forces replacement\*\* \| `"10\.10\.0\.0\/16"` \| `"10\.11\.0\.0\/16"` \|/,
      );
    },
  );

  it("refuses --against a ref without generated/", async () => {
    const first = (await import("node:child_process"))
      .execFileSync("git", ["rev-list", "--max-parents=0", "HEAD"], { cwd: ROOT, encoding: "utf8" })
      .trim()
      .split("\n")[0]!;
    const result = await shipyard(["diff", "--env", "dev", "--against", first]);
    expect(result.status).toBe(2);
    expect(result.stderr.trim()).toMatch(/^shipyard: --against: git ref "[0-9a-f]+" has no generated\/terraform\/ to compare with/);
    expect(result.stdout).toBe("");
  });
});

describe.concurrent("shipyard snapshot", () => {
  it("rewrites a stale snapshot, removing files that no longer belong", { timeout: 120_000 }, async () => {
    const project = projectCopy("shipyard-cli-");
    cpSync(path.join(ROOT, "generated"), path.join(project, "generated"), { recursive: true });
    writeFileSync(path.join(project, "generated", "terraform", "old-stack.tf.json"), "{}\n");
    expect((await shipyard(["snapshot", "--check"], { cwd: project })).status).toBe(1);
    expect((await shipyard(["snapshot"], { cwd: project })).status).toBe(0);
    expect(existsSync(path.join(project, "generated", "terraform", "old-stack.tf.json"))).toBe(false);
    expect(existsSync(path.join(project, "generated", "terraform", "dev-network.tf.json"))).toBe(true);
  });
});
