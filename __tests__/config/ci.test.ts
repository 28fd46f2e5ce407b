import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError, formatProblem, loadEnvironments } from "../../src/config";
import { ciTargets } from "../../src/config/ci-rules";
import { editYaml, problemsOf, ROOT, type Edit } from "../support/environments";
import { projectCopy } from "../support/project-copy";

/** The `ci.jenkins` section of an environment (tools.yaml): what it accepts, and each refusal. */

const tools = readFileSync(path.join(ROOT, "environments", "tools.yaml"), "utf8");
const set = (p: (string | number)[], value: unknown): Edit => ({ set: ["ci", "jenkins", ...p], value });
const FILE = "environments/tools.yaml";

/** Folders the cases create, removed when the file is done. */
const scratchDirs: string[] = [];
function scratch(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  scratchDirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of scratchDirs) rmSync(dir, { recursive: true, force: true });
});

describe("ci.jenkins", () => {
  it("resolves the pipeline's targets: every other environment whose deployer trusts the deploy agent role", () => {
    const envs = loadEnvironments(path.join(ROOT, "environments"));
    const host = envs.find((e) => e.name === "tools")!;
    expect(ciTargets(host).map((t) => [t.name, t.deployerRoleArn, t.externalId])).toEqual([
      ["dev", "arn:aws:iam::111111111111:role/shipyard-dev-deployer", "shipyard-dev"],
      ["prod", "arn:aws:iam::333333333333:role/shipyard-prod-deployer", "shipyard-prod"],
      ["staging", "arn:aws:iam::222222222222:role/shipyard-staging-deployer", "shipyard-staging"],
    ]);
    // The same targets when tools is loaded alone.
    const alone = loadEnvironments(path.join(ROOT, "environments"), ["tools"]);
    expect(ciTargets(alone[0]!).map((t) => t.name)).toEqual(["dev", "prod", "staging"]);
  });

  it.each<[string, Edit[], string, RegExp]>([
    [
      "an unknown key",
      [set(["webhookHost"], "x.example.com")],
      "ci.jenkins.webhookHost",
      /unknown key .*expected one of: agents, certificateArn/,
    ],
    [
      "a plugin without a version",
      [set(["plugins", 4], "job-dsl")],
      "ci.jenkins.plugins[4]",
      /got "job-dsl" \(expected a plugin with an exact version, name:version/,
    ],
    ["a plugin at latest", [set(["plugins", 4], "job-dsl:latest")], "ci.jenkins.plugins[4]", /exact version/],
    ["a plugin listed twice", [set(["plugins", 4], "git:5.9.0")], "ci.jenkins.plugins[4]", /plugin git is listed twice/],
    [
      "an empty prod approvers group",
      [set(["security", "prodApprovers"], [])],
      "ci.jenkins.security.prodApprovers",
      /expected at least one group or user that approves prod deploys/,
    ],
    ["no admins", [set(["security", "admins"], [])], "ci.jenkins.security.admins", /expected at least one admin group or user/],
    [
      "reference data that is not an https git repository",
      [set(["referenceDataGit"], "git@github.com:shipyard-example/shipyard-reference-data.git")],
      "ci.jenkins.referenceDataGit",
      /expected an https URL of a git repository, ending in .git/,
    ],
    [
      "a credential whose secret is not declared",
      [set(["credentials", "slack"], "slack-token")],
      "ci.jenkins.credentials.slack",
      /unknown secret slack-token \(expected one of secrets.items: /,
    ],
    [
      "the image role equal to the deploy role",
      [set(["agents"], { deployRoleName: "shipyard-tools-jenkins-agent", imageRoleName: "shipyard-tools-jenkins-agent" })],
      "ci.jenkins.agents.imageRoleName",
      /expected a role other than agents.deployRoleName/,
    ],
  ])("refuses %s: one problem naming the file, key and expectation", (_, edits, key, message) => {
    const error = problemsOf(editYaml(tools, ...edits), "tools");
    expect(error.problems).toHaveLength(1);
    const [p] = error.problems;
    expect(p!.file).toBe(FILE);
    expect(p!.path).toBe(key);
    expect(p!.line).toBeGreaterThan(0);
    expect(p!.message).toMatch(message);
  });

  it("refuses a deploy agent role that no environment trusts, at the key that names it", () => {
    const dir = scratch("shipyard-ci-envs-");
    for (const env of ["dev", "staging", "prod"]) cpSync(path.join(ROOT, "environments", `${env}.yaml`), path.join(dir, `${env}.yaml`));
    writeFileSync(path.join(dir, "tools.yaml"), editYaml(tools, set(["agents"], { deployRoleName: "shipyard-tools-ci-runner" })));
    let error: unknown;
    try {
      loadEnvironments(dir, ["tools"]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toHaveLength(1);
    expect(formatProblem(problems[0]!)).toMatch(
      /tools\.yaml:\d+:\d+: ci\.jenkins\.agents\.deployRoleName: arn:aws:iam::999999999999:role\/shipyard-tools-ci-runner is trusted by no other environment \(expected the access\.deployer\.trustedPrincipal of at least one of dev\.yaml, prod\.yaml, staging\.yaml\)/,
    );
  });

  it("refuses a target whose repositories do not let the image agent push, at the target's key", () => {
    const dir = scratch("shipyard-ci-envs-");
    for (const env of ["dev", "staging", "tools"]) cpSync(path.join(ROOT, "environments", `${env}.yaml`), path.join(dir, `${env}.yaml`));
    const prod = readFileSync(path.join(ROOT, "environments", "prod.yaml"), "utf8");
    writeFileSync(path.join(dir, "prod.yaml"), prod.replace(/\n  pushPrincipals:\n(    - \S+\n)+/, "\n"));
    let error: unknown;
    try {
      loadEnvironments(dir);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map(formatProblem)).toEqual([
      expect.stringMatching(
        /prod\.yaml:\d+:\d+: ecr\.pushPrincipals: the pipeline of tools deploys this environment but its image agent arn:aws:iam::999999999999:role\/shipyard-tools-jenkins-agent-image may not push here \(expected ecr\.pushPrincipals to contain it/,
      ),
    ]);
  });

  it(
    "makes `shipyard synth` exit 2 with that one message, without a stack trace and without writing anything",
    { timeout: 120_000 },
    () => {
      const project = projectCopy("shipyard-ci-project-");
      writeFileSync(path.join(project, "environments", "tools.yaml"), editYaml(tools, set(["plugins", 0], "kubernetes")));
      const r = spawnSync("node", ["bin/shipyard.js", "synth", "--out", "out"], {
        cwd: project,
        encoding: "utf8",
        env: { ...process.env, NO_COLOR: "1" },
      });
      expect(r.status).toBe(2);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).toMatch(
        /^environments\/tools\.yaml:\d+:\d+: ci\.jenkins\.plugins\[0\]: got "kubernetes" \(expected a plugin with an exact version/,
      );
      expect(r.stderr).not.toMatch(/\bat .*\.(js|ts):\d+/);
      expect(existsSync(path.join(project, "out"))).toBe(false);
    },
  );
});
