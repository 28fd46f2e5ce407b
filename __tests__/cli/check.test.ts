import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { pathWithoutTerraform, shipyardAsync as shipyard } from "../support/cli";

/** A stand-in checkov that reports one failed check on dev-network and records its arguments. */
function fakeCheckov(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "shipyard-fake-checkov-"));
  const file = path.join(dir, "checkov");
  const report = {
    check_type: "terraform_json",
    results: { failed_checks: [{ check_id: "CKV_AWS_130", check_name: "Ensure VPC subnets do not assign public IP by default", file_path: "/dev-network/cdk.tf.json", resource: "aws_subnet.public_eu_west_1a", guideline: null, severity: null }] },
  };
  writeFileSync(file, `#!/bin/sh\necho "$@" > ${JSON.stringify(path.join(dir, "args"))}\ncat <<'JSON'\n${JSON.stringify(report)}\nJSON\n`);
  chmodSync(file, 0o755);
  return file;
}

const T = { timeout: 120_000 };

describe.concurrent("shipyard check", () => {
  it("runs Shipyard's checks and checkov, and exits 1 with a finding (json, sarif)", T, async () => {
    const checkov = fakeCheckov();
    const json = await shipyard(["check", "--env", "dev", "--format", "json"], { env: { SHIPYARD_CHECKOV: checkov, PATH: pathWithoutTerraform() } });
    expect(json.stderr).toBe("");
    expect(json.status).toBe(1);
    expect(JSON.parse(json.stdout).findings).toEqual([expect.objectContaining({ check: "checkov", stack: "dev-network", resource: "aws_subnet.public_eu_west_1a", rule: "CKV_AWS_130" })]);
    const sarif = await shipyard(["check", "--env", "dev", "--format", "sarif"], { env: { SHIPYARD_CHECKOV: checkov } });
    expect(JSON.parse(sarif.stdout)).toMatchObject({ version: "2.1.0", runs: [{ results: [{ ruleId: "checkov/CKV_AWS_130", level: "error" }] }] });
  });

  it("exits 0 when the checks it runs find nothing", T, async () => {
    const result = await shipyard(["check", "--env", "dev", "--skip", "checkov"]);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe("No findings (iam-actions).\n");
  });

  it("says clearly when checkov is not installed: exit 2, one line", T, async () => {
    const result = await shipyard(["check", "--env", "dev", "--only", "checkov"], { env: { PATH: pathWithoutTerraform() } });
    expect(result.status).toBe(2);
    expect(result.stderr.trim()).toMatch(/^shipyard: check: checkov is not installed \(expected \.cache\/venv\/bin\/checkov from `\.ci\/run`, `checkov` on PATH, or SHIPYARD_CHECKOV/);
    expect(result.stdout).toBe("");
  });

  it.each([
    [["check", "--format", "xml"], /argument 'xml' is invalid/],
    [["check", "--only", "nope"], /--only: unknown check nope \(expected one of: iam-actions, checkov/],
  ])("refuses %j with exit 2", T, async (args, message) => {
    const result = await shipyard(args);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(message);
  });
});
