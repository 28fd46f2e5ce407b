import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError, crossEnvironmentIssues, loadEnvironments, scopedNames } from "../../src/config";
import type { ConfigProblem } from "../../src/config/errors";
import { roleName } from "../../modules/iam/naming";
import { shipyardAsync as shipyard } from "../support/cli";
import { editYaml, environmentYaml, loadFixture, parse, ROOT, type Edit } from "../support/environments";
import { projectCopy } from "../support/project-copy";

type Name = "dev" | "staging" | "prod";
const set = (p: (string | number)[], value: unknown): Edit => ({ set: p, value });
const del = (...p: (string | number)[]): Edit => ({ delete: p });

const created: string[] = [];
afterAll(() => {
  for (const dir of created) rmSync(dir, { recursive: true, force: true });
});

/** An environments/ folder with the checked-in files, edited, plus extra files (e.g. a new qa.yaml). */
function environmentsDir(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), "shipyard-envs-"));
  created.push(root);
  const dir = path.join(root, "environments");
  mkdirSync(dir);
  for (const name of ["dev", "staging", "prod"] as const) writeFileSync(path.join(dir, `${name}.yaml`), environmentYaml(name));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, `${name}.yaml`), text);
  return dir;
}

/** A checked-in file, edited. */
const edited = (name: Name, ...edits: Edit[]) => editYaml(environmentYaml(name), ...edits);
/** A new environment `qa` copied from a checked-in one (name fixed), edited. */
const copyAsQa = (from: Name, ...edits: Edit[]) => edited(from, set(["name"], "qa"), ...edits);

function problemsOf(dir: string, names?: string[]): ConfigProblem[] {
  try {
    loadEnvironments(dir, names);
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  throw new Error("expected the environments to be refused, but they were accepted");
}

interface Case {
  name: string;
  files: Record<string, string>;
  /** The file the problem is reported in. */
  file: string;
  path: string;
  message: RegExp;
  /** The other file the message must name, when the problem involves two. */
  other?: string;
}

const cases: Case[] = [
  {
    name: "a private-only API that plans could not reach",
    files: { prod: edited("prod", del("cluster", "endpoint", "ci")) },
    file: "prod",
    path: "cluster.endpoint.ci",
    message:
      /the API endpoint is private-only, so they could not reach it \(expected cluster\.endpoint\.ci with via: peering or transit-gateway/,
  },
  {
    name: "CI networks outside the public endpoint's allowed networks",
    files: { dev: edited("dev", set(["cluster", "endpoint", "ci", "cidrs"], ["192.0.2.0/28"])) },
    file: "dev",
    path: "cluster.endpoint.ci.cidrs[0]",
    message:
      /192\.0\.2\.0\/28 is not inside cluster\.endpoint\.publicCidrs \(203\.0\.113\.0\/24, 198\.51\.100\.16\/28\), so plans from there could not reach the public endpoint \(expected a network within cluster\.endpoint\.publicCidrs\)/,
  },
  {
    name: "plans through a public endpoint that is off",
    files: { staging: edited("staging", set(["cluster", "endpoint", "ci"], { via: "public", cidrs: ["198.51.100.16/28"] })) },
    file: "staging",
    path: "cluster.endpoint.ci.via",
    message: /plans would use the public endpoint, which is off \(expected cluster\.endpoint\.public: true/,
  },
  {
    name: "a CI network inside the VPC",
    files: { prod: edited("prod", set(["cluster", "endpoint", "ci", "cidrs"], ["10.30.128.0/20"])) },
    file: "prod",
    path: "cluster.endpoint.ci.cidrs[0]",
    message:
      /10\.30\.128\.0\/20 overlaps network\.cidr 10\.30\.0\.0\/16: a transit gateway route cannot join overlapping networks \(expected the CI network's own addresses, outside this VPC\)/,
  },
  {
    name: "an unknown way to reach the API",
    files: { prod: edited("prod", set(["cluster", "endpoint", "ci", "via"], "vpn")) },
    file: "prod",
    path: "cluster.endpoint.ci.via",
    message: /got "vpn" \(expected one of: peering, transit-gateway, public, agent-pool\)/,
  },
  {
    name: "a misspelt key of the chosen path",
    files: {
      prod: edited(
        "prod",
        del("cluster", "endpoint", "ci", "transitGatewayId"),
        set(["cluster", "endpoint", "ci", "transitGatewayID"], "tgw-0a1b2c3d4e5f60718"),
      ),
    },
    file: "prod",
    path: "cluster.endpoint.ci.transitGatewayID",
    message: /unknown key; did you mean transitGatewayId\? \(expected one of: cidrs, transitGatewayId, via\)/,
  },
  {
    name: "an agent pool without Terraform Cloud",
    files: {
      prod: edited(
        "prod",
        set(["state"], { backend: "local" }),
        set(["cluster", "endpoint", "ci"], { via: "agent-pool", agentPool: "prod-vpc" }),
      ),
    },
    file: "prod",
    path: "cluster.endpoint.ci.via",
    message: /agent pool runs plans only for workspaces in Terraform Cloud, but state\.backend is local \(expected state\.backend: cloud/,
  },
  {
    name: "a public endpoint open to 0.0.0.0/0",
    files: { dev: edited("dev", set(["cluster", "endpoint", "publicCidrs"], ["0.0.0.0/0"])) },
    file: "dev",
    path: "cluster.endpoint.publicCidrs[0]",
    message: /0\.0\.0\.0\/0 opens the API server to the whole internet \(expected specific networks\)/,
  },
  {
    name: "CI networks given as 0.0.0.0/0",
    files: { prod: edited("prod", set(["cluster", "endpoint", "ci", "cidrs"], ["0.0.0.0/0"])) },
    file: "prod",
    path: "cluster.endpoint.ci.cidrs[0]",
    message: /0\.0\.0\.0\/0 is every network, not the CI network \(expected the networks plans run from\)/,
  },
  {
    name: "overlapping VPC CIDRs in one account",
    files: {
      qa: copyAsQa(
        "prod",
        set(["network", "cidr"], "10.30.0.0/17"),
        set(["ecr", "repositories", 0, "name"], "qa/sample-app"),
        set(["applications", 0, "repository"], "qa/sample-app"),
      ),
    },
    file: "qa",
    path: "network.cidr",
    message:
      /^10\.30\.0\.0\/17 overlaps prod's 10\.30\.0\.0\/16 \(\S*environments\/prod\.yaml:\d+:\d+: network\.cidr\), and both live in account 333333333333 \(expected a VPC CIDR that no connected environment uses\)$/,
    other: "prod",
  },
  {
    name: "overlapping VPC CIDRs of declared peers in different accounts",
    files: { staging: edited("staging", set(["network", "peers"], ["prod"]), set(["network", "cidr"], "10.30.0.0/16")) },
    file: "staging",
    path: "network.cidr",
    message: /overlaps prod's 10\.30\.0\.0\/16 .*the two are declared peers \(network\.peers\)/,
    other: "prod",
  },
  {
    name: "overlapping VPC CIDRs both routed from one CI network",
    files: { staging: edited("staging", set(["network", "cidr"], "10.30.0.0/16")) },
    file: "staging",
    path: "network.cidr",
    message: /overlaps prod's 10\.30\.0\.0\/16 .*the CI network 10\.99\.0\.0\/18 routes to both \(cluster\.endpoint\.ci\)/,
    other: "prod",
  },
  {
    name: "a CI network overlapping another VPC of the account",
    files: {
      qa: copyAsQa(
        "prod",
        set(["network", "cidr"], "10.99.0.0/16"),
        set(["ecr", "repositories", 0, "name"], "qa/sample-app"),
        set(["applications", 0, "repository"], "qa/sample-app"),
        del("cluster", "endpoint", "ci", "transitGatewayId"),
        set(["cluster", "endpoint", "ci", "via"], "peering"),
        set(["cluster", "endpoint", "ci", "cidrs"], ["10.98.0.0/18"]),
      ),
    },
    file: "prod",
    path: "cluster.endpoint.ci.cidrs[0]",
    message:
      /the CI network 10\.99\.0\.0\/18 overlaps qa's VPC 10\.99\.0\.0\/16 \(\S*environments\/qa\.yaml:\d+:\d+: network\.cidr\), and both live in account 333333333333/,
    other: "qa",
  },
  {
    name: "a peer that does not exist",
    files: { staging: edited("staging", set(["network", "peers"], ["tools"])) },
    file: "staging",
    path: "network.peers[0]",
    message: /unknown environment tools \(expected one of: dev, prod, from environments\/\)/,
  },
  {
    name: "a duplicate ECR repository in one account and region",
    files: { qa: copyAsQa("prod", set(["network", "cidr"], "10.40.0.0/16")) },
    file: "qa",
    path: "ecr.repositories[0].name",
    message:
      /^ECR repository shipyard\/sample-app is also created by prod \(\S*environments\/prod\.yaml:\d+:\d+: ecr\.repositories\[0\]\.name\) in account 333333333333, eu-west-1; ECR repository names are unique per account and region, so the second apply would fail \(expected a repository name prod does not use/,
    other: "prod",
  },
  {
    // prod's group x-general and prod-x's group general both make launch templates shipyard-prod-x-general-<zone>.
    name: "a launch template name another environment's group also derives",
    files: {
      prod: edited("prod", set(["cluster", "nodeGroups", 1, "name"], "x-general")),
      "prod-x": edited(
        "prod",
        set(["name"], "prod-x"),
        set(["network", "cidr"], "10.40.0.0/16"),
        set(["ecr", "repositories", 0, "name"], "x/sample-app"),
        set(["applications", 0, "repository"], "x/sample-app"),
      ),
    },
    file: "prod-x",
    path: "cluster.nodeGroups[1].name",
    message:
      /^launch template shipyard-prod-x-general-a is also created by prod \(\S*environments\/prod\.yaml:\d+:\d+: cluster\.nodeGroups\[1\]\.name\) in account 333333333333, eu-west-1/,
    other: "prod",
  },
  {
    name: "a certificate from another region",
    files: {
      dev: edited(
        "dev",
        set(
          ["applications", 0, "ingress", "certificateArn"],
          "arn:aws:acm:us-east-1:111111111111:certificate/0d2b7c55-1d1e-4a5e-9e53-6f2a9c4b1a01",
        ),
      ),
    },
    file: "dev",
    path: "applications[0].ingress.certificateArn",
    message:
      /^the certificate is in us-east-1; a load balancer uses ACM certificates of its own region \(expected a certificate in eu-west-1\)$/,
  },
  {
    name: "a certificate from another environment's account",
    files: {
      staging: edited(
        "staging",
        set(
          ["applications", 0, "ingress", "certificateArn"],
          "arn:aws:acm:eu-west-1:333333333333:certificate/3f9a1c2e-8b7d-4e6f-a5c4-1b2d3e4f5a6b",
        ),
      ),
    },
    file: "staging",
    path: "applications[0].ingress.certificateArn",
    message:
      /^the certificate belongs to account 333333333333, prod's account \(\S*environments\/prod\.yaml:\d+:\d+: account\); a load balancer uses certificates of its own account \(expected a certificate of account 222222222222\)$/,
    other: "prod",
  },
  {
    name: "an admin from another environment's account",
    files: { dev: edited("dev", set(["access", "admins", 0], "arn:aws:iam::333333333333:role/PlatformAdmin")) },
    file: "dev",
    path: "access.admins[0]",
    message:
      /is in account 333333333333, prod's account \(\S*environments\/prod\.yaml:\d+:\d+: account\), not this environment's account 111111111111/,
    other: "prod",
  },
];

describe("bad input across environments, through the loader", () => {
  it.each(cases.map((c) => [c.name, c] as const))("refuses %s, naming the file(s), the key and the expectation", (_name, c) => {
    const dir = environmentsDir(c.files);
    const problems = problemsOf(dir);
    const problem = problems.find((p) => p.path === c.path && c.message.test(p.message));
    expect(problem, `problems: ${problems.map((p) => `${p.file} ${p.path}: ${p.message}`).join("\n")}`).toBeDefined();
    expect(problem!.file).toBe(path.join(dir, `${c.file}.yaml`));
    expect(problem!.line).toBeGreaterThan(0);
    expect(problem!.message).toMatch(/\(expected .+\)$/);
    if (c.other) expect(problem!.message).toContain(`environments/${c.other}.yaml:`);
  });

  it("reports a conflict with a file that --env did not select", () => {
    const dir = environmentsDir({ qa: copyAsQa("prod", set(["network", "cidr"], "10.40.0.0/16")) });
    expect(problemsOf(dir, ["qa"]).map((p) => p.path)).toEqual(["ecr.repositories[0].name"]);
    // prod is involved too: selecting it alone reports the same conflict, in qa.yaml.
    expect(problemsOf(dir, ["prod"]).map((p) => [path.basename(p.file), p.path])).toEqual([["qa.yaml", "ecr.repositories[0].name"]]);
    // dev has nothing to do with it.
    expect(loadEnvironments(dir, ["dev"]).map((e) => e.name)).toEqual(["dev"]);
  });

  it("leaves an unselected file that does not load to be reported when it is selected", () => {
    const dir = environmentsDir({ qa: "name: [\n" });
    expect(loadEnvironments(dir, ["prod"]).map((e) => e.name)).toEqual(["prod"]);
    expect(problemsOf(dir, ["qa"])[0]!.message).toMatch(/invalid YAML/);
  });
});

describe("crossEnvironmentIssues", () => {
  const envs = loadEnvironments(path.join(ROOT, "environments"));

  it("finds nothing in the checked-in environments", () => {
    expect(crossEnvironmentIssues(envs)).toEqual([]);
    expect(loadEnvironments(path.join(ROOT, "environments")).map((e) => e.name)).toEqual(["dev", "prod", "staging", "tools"]);
  });

  it("is a pure function of the environments, citing keys as the caller asks", () => {
    const qa = parse(copyAsQa("prod"), "qa");
    const issues = crossEnvironmentIssues([...envs, qa], { cite: (env, p) => `<${env}:${p.join(".")}>` });
    expect(issues.map((i) => [i.env, i.path.join("."), i.other?.env])).toEqual(
      expect.arrayContaining([
        ["qa", "network.cidr", "prod"],
        ["qa", "ecr.repositories.0.name", "prod"],
      ]),
    );
    expect(issues.find((i) => i.path.join(".") === "network.cidr")!.message).toContain("<prod:network.cidr>");
  });

  it("derives the names it compares from the naming functions the stacks use", () => {
    const names = scopedNames(envs.find((e) => e.name === "prod")!).map((n) => n.name);
    expect(names).toEqual(
      expect.arrayContaining([
        roleName("shipyard-prod", "deployer"),
        roleName("shipyard-prod", "node"),
        roleName("shipyard-prod", "velero"),
        "shipyard/sample-app",
        "shipyard-prod-system-a",
        "shipyard-prod-system-c",
      ]),
    );
  });
});

describe("crossEnvironmentIssues on generated environments", () => {
  const base = (["dev", "staging", "prod"] as const).map((n) => loadFixture(n));
  const cidrs = ["10.10.0.0/16", "10.30.0.0/17", "10.99.0.0/16", "10.40.0.0/16"];
  const accounts = ["111111111111", "333333333333", "444444444444"];
  const arb = fc.record({
    cidr: fc.constantFrom(...cidrs),
    account: fc.constantFrom(...accounts),
    region: fc.constantFrom("eu-west-1", "us-east-1"),
    repository: fc.constantFrom("shipyard/sample-app", "qa/sample-app"),
    peers: fc.subarray(["dev", "staging", "prod"]),
    ci: fc.constantFrom<unknown>(
      { via: "transit-gateway", cidrs: ["10.99.0.0/18"] },
      { via: "peering", cidrs: ["10.98.0.0/24"] },
      { via: "agent-pool", agentPool: "qa" },
    ),
  });

  it("never throws, and every issue names its key and ends with what was expected", () => {
    fc.assert(
      fc.property(arb, (v) => {
        let qa;
        try {
          qa = parse(
            copyAsQa(
              "prod",
              set(["network", "cidr"], v.cidr),
              set(["account"], v.account),
              set(["region"], v.region),
              set(["ecr", "repositories", 0, "name"], v.repository),
              set(["applications", 0, "repository"], v.repository),
              set(["network", "peers"], v.peers),
              set(["cluster", "endpoint", "ci"], v.ci),
            ),
            "qa",
          );
        } catch (error) {
          if (error instanceof ConfigError) return; // refused alone (e.g. a CI network inside the VPC)
          throw error;
        }
        for (const issue of crossEnvironmentIssues([...base, qa])) {
          expect(issue.path.length).toBeGreaterThan(0);
          expect(issue.message).toMatch(/\(expected .+\)$/);
          if (issue.other) expect(issue.message).toContain(`environments/${issue.other.env}.yaml`);
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe("the real CLI", () => {
  it("exits 2 on a conflict across environments, names both files, and writes nothing", { timeout: 120_000 }, async () => {
    const project = projectCopy("shipyard-cross-");
    writeFileSync(path.join(project, "environments", "qa.yaml"), copyAsQa("prod"));
    const validate = await shipyard(["validate", "--env", "qa"], { cwd: project });
    expect(validate.status).toBe(2);
    expect(validate.stderr).toMatch(
      /^environments\/qa\.yaml:\d+:\d+: network\.cidr: 10\.30\.0\.0\/16 overlaps prod's 10\.30\.0\.0\/16 \(\S*environments\/prod\.yaml:\d+:\d+: network\.cidr\), and both live in account 333333333333 \(expected .+\)$/m,
    );
    expect(validate.stderr).toMatch(
      /^environments\/qa\.yaml:\d+:\d+: ecr\.repositories\[0\]\.name: ECR repository shipyard\/sample-app is also created by prod/m,
    );
    expect(validate.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
    const synth = await shipyard(["synth", "--env", "qa", "--local-state", "--out", "out"], { cwd: project });
    expect(synth.status).toBe(2);
    expect(existsSync(path.join(project, "out"))).toBe(false);
  });
});
