import { chmodSync, cpSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { pathWithoutTerraform, shipyard as shipyardSync, shipyardAsync as shipyard } from "../support/cli";
import { ROOT } from "../support/environments";
import { tempDir } from "../support/temp-dirs";

/** A stand-in checkov that reports one failed check on dev-network and records its arguments. */
function fakeCheckov(): string {
  const dir = tempDir("shipyard-fake-checkov-");
  const file = path.join(dir, "checkov");
  const report = {
    check_type: "terraform_json",
    results: {
      failed_checks: [
        {
          check_id: "CKV_AWS_130",
          check_name: "Ensure VPC subnets do not assign public IP by default",
          file_path: "/dev-network/cdk.tf.json",
          resource: "aws_subnet.public_eu_west_1a",
          guideline: null,
          severity: null,
        },
      ],
    },
  };
  writeFileSync(file, `#!/bin/sh\necho "$@" > ${JSON.stringify(path.join(dir, "args"))}\ncat <<'JSON'\n${JSON.stringify(report)}\nJSON\n`);
  chmodSync(file, 0o755);
  return file;
}

const T = { timeout: 120_000 };

describe.concurrent("shipyard check", () => {
  it("runs Shipyard's checks and checkov, and exits 1 with a finding (json, sarif)", T, async () => {
    const checkov = fakeCheckov();
    const json = await shipyard(["check", "--env", "dev", "--format", "json"], {
      env: { SHIPYARD_CHECKOV: checkov, PATH: pathWithoutTerraform() },
    });
    expect(json.stderr).toBe("");
    expect(json.status).toBe(1);
    expect(JSON.parse(json.stdout).findings).toEqual([
      expect.objectContaining({ check: "checkov", stack: "dev-network", resource: "aws_subnet.public_eu_west_1a", rule: "CKV_AWS_130" }),
    ]);
    const sarif = await shipyard(["check", "--env", "dev", "--format", "sarif"], { env: { SHIPYARD_CHECKOV: checkov } });
    expect(JSON.parse(sarif.stdout)).toMatchObject({
      version: "2.1.0",
      runs: [{ results: [{ ruleId: "checkov/CKV_AWS_130", level: "error" }] }],
    });
  });

  it("exits 0 when the checks it runs find nothing", T, async () => {
    const result = await shipyard(["check", "--env", "dev", "--skip", "checkov"]);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe("No findings (iam-actions, cross-environment, trust, deployer).\n");
  });

  it("says clearly when checkov is not installed: exit 2, one line", T, async () => {
    // SHIPYARD_CHECKOV names the one checkov to use (here: none), whatever .cache/venv or PATH hold.
    const result = await shipyard(["check", "--env", "dev", "--only", "checkov"], {
      env: { PATH: pathWithoutTerraform(), SHIPYARD_CHECKOV: path.join(tmpdir(), "no-such-checkov") },
    });
    expect(result.status).toBe(2);
    expect(result.stderr.trim()).toMatch(
      /^shipyard: check: checkov is not installed \(expected \.cache\/venv\/bin\/checkov from `\.ci\/run`, `checkov` on PATH, or SHIPYARD_CHECKOV/,
    );
    expect(result.stdout).toBe("");
  });

  it.each([
    [["check", "--format", "xml"], /argument 'xml' is invalid/],
    [["check", "--only", "nope"], /--only: unknown check nope \(expected one of: iam-actions, cross-environment, trust, deployer, checkov/],
  ])("refuses %j with exit 2", T, async (args, message) => {
    const result = await shipyard(args);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(message);
  });
});

describe.concurrent("shipyard cost", () => {
  it("prints Infracost-style lines and totals", T, async () => {
    const result = await shipyard(["cost", "--env", "dev"]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^Project: dev \(eu-west-1, prices as of \d{4}-\d{2}-\d{2}\)/);
    expect(result.stdout).toMatch(/aws_eks_cluster\.this\n\s+└─ EKS control plane \(standard support\)\s+730\s+hours\s+\$73\.00/);
    expect(result.stdout).toMatch(/OVERALL TOTAL dev\s+\$[\d,]+\.\d\d/);
  });

  it.each([
    [["cost", "--format", "csv"], /argument 'csv' is invalid/],
    [["cost", "--env", "dev", "--against", "no-such-ref"], /--against: unknown git ref "no-such-ref"/],
  ])("refuses %j with exit 2", T, async (args, message) => {
    const result = await shipyard(args);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe("");
  });
});

describe("shipyard cost without a price table for the region", () => {
  it("exits 2 naming the environment file and the table to add, and prints no estimate", T, () => {
    const project = tempDir("shipyard-cost-region-");
    cpSync(path.join(ROOT, "cdktf.json"), path.join(project, "cdktf.json"));
    cpSync(path.join(ROOT, "environments"), path.join(project, "environments"), { recursive: true });
    const file = path.join(project, "environments", "dev.yaml");
    // The whole environment moves (its certificate too: validate refuses a certificate of another region).
    writeFileSync(file, readFileSync(file, "utf8").replaceAll("eu-west-1", "ap-south-2"));
    const result = shipyardSync(["cost", "--env", "dev"], { cwd: project, cli: ROOT });
    expect(result.status).toBe(2);
    expect(result.stderr.trim()).toBe(
      "environments/dev.yaml: region: no price table for region ap-south-2 (expected one of: eu-west-1; add src/cost/prices/ap-south-2.ts)",
    );
    expect(result.stdout).toBe("");
  });
});

describe.concurrent("shipyard graph", () => {
  it("draws the stacks of each environment in dependency order (Mermaid)", T, async () => {
    const result = await shipyard(["graph", "--env", "dev"]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(
      /^flowchart LR\n  subgraph group_dev\["dev"\]\n    dev_bootstrap\["dev-bootstrap"\]\n    dev_foundation\["dev-foundation"\]\n    dev_network/,
    );
    expect(result.stdout).toContain("  dev_platform --> dev_workloads\n");
  });

  it("draws one stack's resources as DOT", T, async () => {
    const result = await shipyard(["graph", "--env", "dev", "--resources", "dev-network", "--format", "dot"]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('  "aws_vpc.this" -> "aws_subnet.private_eu_west_1a";');
  });

  it.each([
    [["graph", "--format", "svg"], /argument 'svg' is invalid/],
    [["graph", "--env", "dev", "--resources", "dev-nope"], /--resources: unknown stack dev-nope \(expected one of: dev-/],
  ])("refuses %j with exit 2", T, async (args, message) => {
    const result = await shipyard(args);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe("");
  });
});

describe("--changed", () => {
  it("limits synth, diff, check and cost to the environments whose generated output or file changed", { timeout: 180_000 }, () => {
    const project = tempDir("shipyard-changed-");
    for (const entry of ["cdktf.json", "environments", "generated"])
      cpSync(path.join(ROOT, entry), path.join(project, entry), { recursive: true });
    const run = (...args: string[]) => shipyardSync(args, { cwd: project, cli: ROOT });
    const unchanged = run("diff", "--changed");
    expect(unchanged.stderr).toMatch(/changed against generated: no environment/);
    expect(unchanged.stdout).toBe("No changes against generated.\n");
    const file = path.join(project, "environments", "staging.yaml");
    writeFileSync(
      file,
      readFileSync(file, "utf8").replace(/maxSize: (\d+)/, (_, n) => `maxSize: ${Number(n) + 1}`),
    );
    const cost = run("cost", "--changed", "--format", "json");
    expect(cost.stderr).toMatch(/changed against generated: staging\n/);
    expect(JSON.parse(cost.stdout).envs.map((e: { env: string }) => e.env)).toEqual(["staging"]);
    const synth = run("synth", "--changed", "--out", "out");
    expect(synth.stderr).toMatch(/synthesized 6 stacks of staging into out\//);
  });
});
