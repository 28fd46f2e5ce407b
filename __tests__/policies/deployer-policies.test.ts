/**
 * The deployer's policies are computed from the types of the layers it applies: no hand-written list.
 * What the computation guarantees for any input, independently of the simulation.
 */
import { describe, expect, it } from "vitest";
import { deployerActions, deployerPolicies, REFUSED_BY_DESIGN } from "../../src/policy/deployer";
import { policySize } from "../../src/policy/document";
import { UNSCOPED_ACTIONS } from "../../src/policy/unscoped";

const input = (typesByLayer: Record<string, string[]>) => ({
  prefix: "shipyard-prod",
  environment: "prod",
  accountId: "333333333333",
  region: "eu-west-1",
  repositoryNames: ["shipyard/sample-app"],
  boundaryArn: "arn:aws:iam::333333333333:policy/shipyard-prod-boundary",
  typesByLayer,
});

const LAYERS = {
  foundation: [
    "resource.aws_kms_key",
    "resource.aws_kms_alias",
    "resource.aws_s3_bucket",
    "resource.aws_s3_bucket_policy",
    "resource.aws_ecr_repository",
  ],
  network: [
    "resource.aws_vpc",
    "resource.aws_route_table_association",
    "resource.aws_flow_log",
    "resource.aws_iam_role",
    "resource.aws_iam_role_policy",
  ],
  cluster: [
    "resource.aws_eks_cluster",
    "resource.aws_eks_node_group",
    "resource.aws_autoscaling_group_tag",
    "resource.aws_iam_role_policy_attachment",
  ],
  platform: ["data.aws_eks_cluster", "data.aws_eks_cluster_auth", "resource.helm_release"],
};

describe("deployerActions", () => {
  it("takes each type's actions from the table, with the layer and type that need it", () => {
    const { neededBy, missingTypes } = deployerActions(LAYERS);
    expect(missingTypes).toEqual([]);
    expect(neededBy.get("autoscaling:CreateOrUpdateTags")).toEqual(["cluster:resource.aws_autoscaling_group_tag"]);
    expect(neededBy.get("ec2:ReplaceRouteTableAssociation")).toEqual(["network:resource.aws_route_table_association"]);
    // Operations besides Terraform: Ansible over SSM.
    expect(neededBy.get("ssm:StartSession")).toEqual(["operation:ansible-ssm"]);
  });

  it("reports an AWS type the table does not know, and ignores non-AWS types", () => {
    const { missingTypes } = deployerActions({
      cluster: ["resource.aws_made_up_thing", "resource.helm_release", "data.terraform_remote_state"],
    });
    expect(missingTypes).toEqual(["resource.aws_made_up_thing"]);
  });

  it("never includes the actions refused by design", () => {
    const { actions } = deployerActions({ foundation: ["resource.aws_kms_key", "resource.aws_iam_role"] });
    for (const refused of Object.keys(REFUSED_BY_DESIGN)) expect(actions).not.toContain(refused);
  });
});

describe("deployerPolicies", () => {
  const policies = deployerPolicies(input(LAYERS));
  const all = Object.values(policies).flat();

  it("fits each part in a managed policy and names no wildcard action", () => {
    for (const [part, statements] of Object.entries(policies)) expect(policySize(statements), part).toBeLessThanOrEqual(6144);
    for (const s of all) for (const a of s.actions ?? []) expect(a).not.toMatch(/\*/);
  });

  it("uses `Resource: *` only for actions IAM cannot scope, in the environment's region", () => {
    const unscoped = new Set(UNSCOPED_ACTIONS);
    for (const s of all.filter((x) => (x.resources ?? []).includes("*"))) {
      for (const a of s.actions ?? []) expect(unscoped.has(a), a).toBe(true);
      expect(s.condition?.find((c) => c.variable === "aws:RequestedRegion")?.values).toEqual(["eu-west-1"]);
    }
  });

  it("creates keys and clusters only with the environment's tag", () => {
    const tagged = all.filter((s) => (s.actions ?? []).some((a) => a === "kms:CreateKey" || a === "eks:CreateCluster"));
    expect(tagged.length).toBeGreaterThan(0);
    for (const s of tagged)
      expect(s.condition?.find((c) => c.variable === "aws:RequestTag/shipyard:environment")?.values).toEqual(["prod"]);
  });

  it("scopes every other statement to this environment's ARNs", () => {
    for (const s of all.filter((x) => !(x.resources ?? []).includes("*"))) {
      for (const r of s.resources ?? [])
        expect(r, s.sid).toMatch(/shipyard-prod|:333333333333:|shipyard\/sample-app|::parameter\/aws\/service\/eks\/|::(image|snapshot)\//);
    }
  });

  it("writes roles only with the boundary, passes them only to the platform's services", () => {
    const byAction = (a: string) => all.find((s) => s.actions?.includes(a))!;
    expect(byAction("iam:CreateRole").condition).toEqual([
      { test: "StringEquals", variable: "iam:PermissionsBoundary", values: ["arn:aws:iam::333333333333:policy/shipyard-prod-boundary"] },
    ]);
    expect(byAction("iam:AttachRolePolicy").condition!.map((c) => c.variable)).toEqual(["iam:PermissionsBoundary", "iam:PolicyARN"]);
    expect(byAction("iam:PassRole").condition![0]!.values).toEqual([
      "eks.amazonaws.com",
      "pods.eks.amazonaws.com",
      "vpc-flow-logs.amazonaws.com",
    ]);
  });

  it("grows with the layers: a type added to a layer adds its permissions", () => {
    const before = deployerActions(LAYERS).actions;
    const after = deployerActions({ ...LAYERS, platform: [...LAYERS.platform, "resource.aws_sqs_queue"] }).actions;
    expect(after.filter((a) => !before.includes(a))).toEqual(expect.arrayContaining(["sqs:CreateQueue", "sqs:DeleteQueue"]));
  });
});
