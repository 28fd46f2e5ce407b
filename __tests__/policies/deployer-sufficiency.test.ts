/**
 * The deployer can apply every stack it is meant to apply, and no more: each action the permission table
 * lists for the types of foundation, network, cluster, platform and workloads (plus the image push and
 * Ansible over SSM) is allowed on a representative ARN of the environment by identity policy ∩ boundary
 * (∪ the key policy for KMS), as evaluated by @cloud-copilot/iam-simulate. The evaluation itself is
 * tested: a missing action, a boundary that denies, an out-of-scope ARN each produce a finding.
 */
import { App } from "cdktf";
import { beforeAll, describe, expect, it } from "vitest";
import { ENVIRONMENTS_DIR, loadEnvironments } from "../../src/config";
import { deployerActions } from "../../src/policy/deployer";
import { environmentPolicyFindings, sufficiencyInput } from "../../src/policy";
import { deployerSufficiency, representativeResource, simulate, type SufficiencyInput } from "../../src/policy/sufficiency";
import { terraformTypes } from "../../src/stacks/bootstrap";
import type { EnvironmentStacks } from "../../src/stacks";
import { buildApp } from "../../src/synth/synthesize";

const ENVS = loadEnvironments(ENVIRONMENTS_DIR);
let built: Map<string, EnvironmentStacks>;

beforeAll(() => {
  built = buildApp(new App({ stackTraces: false, skipValidation: true }), ENVS, "cdktf.out");
}, 120_000);

const DEPLOYED = ["foundation", "network", "cluster", "platform", "workloads"] as const;

function inputFor(name: string): SufficiencyInput {
  return sufficiencyInput(
    ENVS.find((e) => e.name === name)!,
    built.get(name)!,
  );
}

describe.each(ENVS.map((e) => [e.name] as const))("deployer of %s", (name) => {
  it("has a table entry for every AWS type its layers emit", () => {
    const stacks = built.get(name)!;
    const typesByLayer = Object.fromEntries(DEPLOYED.map((layer) => [layer, terraformTypes(stacks[layer])]));
    expect(deployerActions(typesByLayer).missingTypes).toEqual([]);
  });

  it("has a table entry for every AWS type of the bootstrap layer too (applied by people, documented all the same)", () => {
    expect(deployerActions({ bootstrap: terraformTypes(built.get(name)!.bootstrap) }).missingTypes).toEqual([]);
  });

  it("is allowed every action its stacks need, on this environment's ARNs (simulated)", async () => {
    expect(inputFor(name).neededBy.size).toBeGreaterThan(150);
    const findings = await environmentPolicyFindings(
      ENVS.find((e) => e.name === name)!,
      built.get(name)!,
    );
    expect(findings.map((f) => `${f.check} ${f.action} on ${f.resource}: ${f.result} (${f.neededBy.slice(0, 2).join(", ")})`)).toEqual([]);
  }, 120_000);
});

describe("the sufficiency check fails when it should", () => {
  const name = "prod";

  it("reports an action the identity policy lacks", async () => {
    const input = inputFor(name);
    const identity = input.identity
      .map((s) => ({ ...s, actions: (s.actions ?? []).filter((a) => a !== "autoscaling:CreateOrUpdateTags") }))
      .filter((s) => s.actions.length > 0);
    const findings = await deployerSufficiency({ ...input, identity });
    expect(findings.map((f) => f.action)).toEqual(["autoscaling:CreateOrUpdateTags"]);
    expect(findings[0]!.result).toBe("ImplicitlyDenied");
    expect(findings[0]!.neededBy.join()).toMatch(/cluster:resource\.aws_autoscaling_group_tag/);
  }, 120_000);

  it("reports an action a boundary denies", async () => {
    const input = inputFor(name);
    const boundary = [
      ...input.boundary,
      { sid: "DenyForTest", effect: "Deny" as const, actions: ["ec2:ReplaceRouteTableAssociation"], resources: ["*"] },
    ];
    const findings = await deployerSufficiency({ ...input, boundary });
    expect(findings.map((f) => [f.action, f.result])).toEqual([["ec2:ReplaceRouteTableAssociation", "ExplicitlyDenied"]]);
  }, 120_000);

  it("denies the same action on another environment's ARN", async () => {
    const input = inputFor(name);
    const own = await representativeResource("s3:PutBucketPolicy", input.scope);
    expect(own).toBe("arn:aws:s3:::shipyard-prod-backups-333333333333");
    expect(await simulate(input, "s3:PutBucketPolicy", own)).toBe("Allowed");
    expect(await simulate(input, "s3:PutBucketPolicy", "arn:aws:s3:::shipyard-staging-backups-333333333333")).toBe("ImplicitlyDenied");
    expect(await simulate(input, "eks:DeleteCluster", "arn:aws:eks:eu-west-1:333333333333:cluster/shipyard-staging")).toBe(
      "ImplicitlyDenied",
    );
    expect(await simulate(input, "iam:CreateRole", "arn:aws:iam::333333333333:role/Admin")).toBe("ImplicitlyDenied");
  });

  it("refuses role writes without the boundary, and passing roles to other services", async () => {
    const input = inputFor(name);
    const role = "arn:aws:iam::333333333333:role/shipyard-prod-node";
    expect(await simulate(input, "iam:CreateRole", role)).toBe("Allowed");
    expect(await simulate(input, "iam:CreateRole", role, { "iam:PermissionsBoundary": "arn:aws:iam::333333333333:policy/other" })).toBe(
      "ExplicitlyDenied",
    );
    expect(await simulate(input, "iam:PassRole", role, { "iam:PassedToService": "lambda.amazonaws.com" })).toBe("ImplicitlyDenied");
    expect(await simulate(input, "iam:AttachRolePolicy", role, { "iam:PolicyARN": "arn:aws:iam::aws:policy/AdministratorAccess" })).toBe(
      "ImplicitlyDenied",
    );
  });

  it("keeps the deployer away from the audit trail, its bucket, log group and key, the boundary and itself", async () => {
    const input = inputFor(name);
    const denied = [
      ["cloudtrail:StopLogging", "arn:aws:cloudtrail:eu-west-1:333333333333:trail/shipyard-prod"],
      ["cloudtrail:DeleteTrail", "arn:aws:cloudtrail:eu-west-1:333333333333:trail/shipyard-prod"],
      ["s3:PutBucketPolicy", "arn:aws:s3:::shipyard-prod-cloudtrail-333333333333"],
      ["s3:DeleteObject", "arn:aws:s3:::shipyard-prod-cloudtrail-333333333333/AWSLogs/333333333333/x.json.gz"],
      ["logs:DeleteLogGroup", "arn:aws:logs:eu-west-1:333333333333:log-group:/aws/cloudtrail/shipyard-prod/trail"],
      ["iam:PutRolePolicy", "arn:aws:iam::333333333333:role/shipyard-prod-deployer"],
      ["iam:CreatePolicyVersion", "arn:aws:iam::333333333333:policy/shipyard-prod-boundary"],
      ["kms:ScheduleKeyDeletion", "arn:aws:kms:eu-west-1:333333333333:key/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"],
    ];
    for (const [action, resource] of denied) expect(await simulate(input, action!, resource!), `${action} ${resource}`).not.toBe("Allowed");
    const auditKey = "arn:aws:kms:eu-west-1:333333333333:key/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d";
    expect(await simulate(input, "kms:PutKeyPolicy", auditKey, { "aws:ResourceTag/shipyard:protection": "audit" })).toBe(
      "ExplicitlyDenied",
    );
    expect(await simulate(input, "kms:PutKeyPolicy", auditKey)).toBe("Allowed");
  });

  it("starts SSM sessions only on this cluster's nodes", async () => {
    const input = inputFor(name);
    const node = "arn:aws:ec2:eu-west-1:333333333333:instance/i-0123456789abcdef0";
    expect(await simulate(input, "ssm:StartSession", node)).toBe("Allowed");
    expect(await simulate(input, "ssm:StartSession", node, { "ssm:resourceTag/eks:cluster-name": "other" })).toBe("ImplicitlyDenied");
  });
});
