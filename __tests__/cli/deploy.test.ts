import { existsSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { pathWithoutTerraform, shipyardAsync as shipyard } from "../support/cli";
import { fakeTerraform } from "../support/fake-terraform";
import { projectCopy } from "../support/project-copy";

const LAYERS = ["foundation", "network", "cluster", "platform", "workloads"];
const T = { timeout: 300_000 };

describe.concurrent("shipyard deploy against a stand-in terraform", () => {
  it(
    "applies every stack's saved plan in dependency order, records it, and next time deploys only what changed and its dependents",
    T,
    async () => {
      const project = projectCopy("shipyard-deploy-");
      const tf = fakeTerraform();
      const first = await shipyard(["deploy", "--env", "dev", "--parallelism", "1"], { cwd: project, env: tf.env });
      expect(first.stderr).not.toMatch(/internal error/);
      expect(first.status).toBe(0);
      const calls = tf.calls();
      expect(calls.map((c) => `${c.stack} ${c.command}`)).toEqual(
        LAYERS.flatMap((l) => ["init", "plan", "apply"].map((c) => `dev-${l} ${c}`)),
      );
      expect(calls.find((c) => c.command === "plan")!.args).toEqual(
        expect.arrayContaining(["-detailed-exitcode", "-out=shipyard.tfplan", "-input=false"]),
      );
      expect(calls.find((c) => c.command === "apply")!.args).toEqual(["-input=false", "-no-color", "shipyard.tfplan"]);
      expect(first.stdout).toMatch(/^stack\s+result\s+log$/m);
      expect(first.stdout).toMatch(/^dev-network\s+applied\s+cdktf\.out\/logs\/dev-network\.log$/m);
      expect(readFileSync(path.join(project, "cdktf.out", "logs", "dev-cluster.log"), "utf8")).toMatch(/\$ terraform apply/);
      const recorded = JSON.parse(readFileSync(path.join(project, ".shipyard", "deployed", "dev.json"), "utf8"));
      expect(Object.keys(recorded.stacks).sort()).toEqual(LAYERS.map((l) => `dev-${l}`).sort());

      const again = await shipyard(["deploy", "--env", "dev", "--dry-run"], { cwd: project, env: tf.env });
      expect(again.stdout).toMatch(/^Nothing to deploy: no stack differs from last deploy/);
      const file = path.join(project, "environments", "dev.yaml");
      // +3: the groups are split over three zones, so each zone's maximum grows by one.
      writeFileSync(
        file,
        readFileSync(file, "utf8").replace(/maxSize: (\d+)/, (_, n) => `maxSize: ${Number(n) + 3}`),
      );
      const changed = await shipyard(["deploy", "--env", "dev", "--dry-run"], { cwd: project, env: tf.env });
      expect(changed.stdout).toMatch(/deploy 3 stack\(s\) against last deploy/);
      expect(changed.stdout).toMatch(/1\. dev-cluster\s+synthesized JSON changed/);
      expect(changed.stdout).toMatch(/2\. dev-platform\s+depends on a stack in this run; after dev-cluster/);
      expect(changed.stdout).toMatch(/3\. dev-workloads/);
      const noDependents = await shipyard(["deploy", "--env", "dev", "--dry-run", "--no-dependents"], { cwd: project, env: tf.env });
      expect(noDependents.stdout).toMatch(/deploy 1 stack\(s\)/);
      expect(tf.calls()).toHaveLength(15); // dry runs ran nothing
    },
  );

  it("stops what depends on a failure, finishes the rest, and exits 1", T, async () => {
    const project = projectCopy("shipyard-deploy-");
    const tf = fakeTerraform();
    const result = await shipyard(["deploy", "--env", "dev,staging", "--all", "--parallelism", "2"], {
      cwd: project,
      env: { ...tf.env, FAKE_TF_FAIL: "dev-network:plan" },
    });
    expect(result.status).toBe(1);
    const ran = new Set(tf.calls().map((c) => c.stack));
    for (const l of ["cluster", "platform", "workloads"]) expect(ran.has(`dev-${l}`), l).toBe(false);
    expect(
      tf
        .calls()
        .filter((c) => c.command === "apply")
        .map((c) => c.stack)
        .sort(),
    ).toEqual(["dev-foundation", ...LAYERS.map((l) => `staging-${l}`)].sort());
    expect(result.stdout).toMatch(/^dev-network\s+failed\s+cdktf\.out\/logs\/dev-network\.log$/m);
    expect(result.stdout).toMatch(/^dev-cluster\s+skipped \(dev-network failed\)$/m);
    expect(result.stdout).toMatch(/^dev-workloads\s+skipped \(dev-platform was skipped\)$/m);
    const recorded = JSON.parse(readFileSync(path.join(project, ".shipyard", "deployed", "dev.json"), "utf8"));
    expect(Object.keys(recorded.stacks)).toEqual(["dev-foundation"]);
  });

  it("runs independent stacks in parallel, never more than --parallelism", T, async () => {
    const project = projectCopy("shipyard-deploy-");
    expect((await shipyard(["synth", "--env", "dev,staging"], { cwd: project })).status).toBe(0);
    const two = fakeTerraform();
    expect(
      (await shipyard(["plan", "--env", "dev,staging", "--all", "--synthesized", "--parallelism", "2"], { cwd: project, env: two.env }))
        .status,
    ).toBe(0);
    expect(Math.max(...two.calls().map((c) => c.concurrent))).toBe(2);
    const one = fakeTerraform();
    expect(
      (
        await shipyard(
          [
            "plan",
            "--env",
            "dev,staging",
            "--synthesized",
            "--stack",
            "dev-foundation,staging-foundation",
            "--no-dependents",
            "--parallelism",
            "1",
          ],
          { cwd: project, env: one.env },
        )
      ).status,
    ).toBe(0);
    expect(Math.max(...one.calls().map((c) => c.concurrent))).toBe(1);
    expect(new Set(one.calls().map((c) => c.stack))).toEqual(new Set(["dev-foundation", "staging-foundation"]));
    expect(one.calls().some((c) => c.command === "apply")).toBe(false);
  });

  it("plan --detailed-exitcode: 3 with changes, 0 without, 1 when a plan fails (the nightly drift check)", T, async () => {
    const project = projectCopy("shipyard-deploy-");
    expect((await shipyard(["synth", "--env", "dev"], { cwd: project })).status).toBe(0);
    const tf = fakeTerraform();
    const args = ["plan", "--env", "dev", "--synthesized", "--stack", "dev-foundation", "--no-dependents", "--detailed-exitcode"];
    expect((await shipyard(args, { cwd: project, env: tf.env })).status).toBe(3);
    expect((await shipyard(args, { cwd: project, env: { ...tf.env, FAKE_TF_NO_CHANGES: "all" } })).status).toBe(0);
    expect((await shipyard(args, { cwd: project, env: { ...tf.env, FAKE_TF_FAIL: "dev-foundation:init" } })).status).toBe(1);
  });
});

describe.concurrent("plan and deploy refuse bad input: exit 2, one line, nothing run", () => {
  it.each([
    [["deploy", "--env", "dev", "--parallelism", "0"], /--parallelism: got "0" \(expected a whole number/],
    [["deploy", "--env", "dev", "--stack", "dev-nope"], /--stack: unknown stack dev-nope \(expected one of: dev-foundation/],
    [["plan", "--env", "dev", "--against", "no-such-ref"], /--against: unknown git ref "no-such-ref"/],
  ])("%j", T, async (args, message) => {
    const tf = fakeTerraform();
    const result = await shipyard(args, { env: tf.env });
    expect(result.status).toBe(2);
    expect(result.stderr.trim()).toMatch(message);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(tf.calls()).toEqual([]);
  });

  it("refuses local state under CI", T, async () => {
    const project = projectCopy("shipyard-deploy-");
    const tf = fakeTerraform();
    const result = await shipyard(["deploy", "--env", "dev"], { cwd: project, env: { ...tf.env, CI: "true" } });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(
      /keep state in local files, which a CI agent loses \(expected state\.backend cloud or s3 in environments\/dev\.yaml; CI is set\)/,
    );
    expect(tf.calls()).toEqual([]);
  });

  it("refuses --synthesized without a synthesis", T, async () => {
    const project = projectCopy("shipyard-deploy-");
    const result = await shipyard(["plan", "--env", "dev", "--synthesized", "--out", "nothing-here"], { cwd: project });
    expect(result.status).toBe(2);
    expect(result.stderr.trim()).toBe(
      "shipyard: --synthesized: nothing-here/ holds no synthesis (expected `./shipyard synth --out nothing-here` first)",
    );
  });

  it("says so when terraform is not on PATH", T, async () => {
    const project = projectCopy("shipyard-deploy-");
    const result = await shipyard(["plan", "--env", "dev"], { cwd: project, env: { PATH: pathWithoutTerraform() } });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/terraform is not on PATH \(expected Terraform 1\.10 or later/);
    expect(existsSync(path.join(project, ".shipyard"))).toBe(false);
  });
});
