import { describe, expect, it } from "vitest";
import { AwsLoadBalancerController, type AwsLoadBalancerControllerProps } from "../../../modules/addons";
import { ShipyardValidationError } from "../../../modules/core";
import { expectSafeRelease, PLACEMENT, release, releaseValues, ROLE, synth } from "./helpers";

const base: AwsLoadBalancerControllerProps = {
  clusterName: "shipyard-dev",
  region: "eu-west-1",
  vpcId: "vpc-0123456789abcdef0",
  roleArn: ROLE("aws-load-balancer-controller"),
  replicas: 1,
  placement: PLACEMENT,
};

function build(over: Partial<AwsLoadBalancerControllerProps> = {}) {
  const r = release(synth((s) => new AwsLoadBalancerController(s, "alb", { ...base, ...over })), "aws-load-balancer-controller");
  expectSafeRelease(r);
  return { r, v: releaseValues(r) };
}

describe("AwsLoadBalancerController", () => {
  it("sets cluster, region and VPC explicitly and annotates its service account with the IRSA role", () => {
    const { r, v } = build();
    expect(r).toMatchObject({ chart: "aws-load-balancer-controller", repository: "https://aws.github.io/eks-charts", version: "3.5.0", namespace: "kube-system" });
    expect(v).toMatchObject({ clusterName: "shipyard-dev", region: "eu-west-1", vpcId: "vpc-0123456789abcdef0", defaultTargetType: "ip" });
    expect(v.serviceAccount).toEqual({
      create: true,
      name: "aws-load-balancer-controller",
      annotations: { "eks.amazonaws.com/role-arn": ROLE("aws-load-balancer-controller") },
    });
    expect(v.tolerations).toContainEqual({ key: "CriticalAddonsOnly", operator: "Exists" });
  });

  it("runs one replica without a PDB in dev, two with a PDB in prod", () => {
    expect(build().v).toMatchObject({ replicaCount: 1, podDisruptionBudget: {} });
    expect(build({ replicas: 2 }).v).toMatchObject({ replicaCount: 2, podDisruptionBudget: { maxUnavailable: 1 } });
  });

  it("keeps the chart's default anti-affinity when there is no system group to prefer", () => {
    expect(build({ placement: {} }).v.affinity).toBeUndefined();
  });

  it.each([
    ["a missing region", { region: "" }, /region: required/],
    ["a missing VPC id", { vpcId: "" }, /vpcId: required/],
    ["a VPC id that is not one", { vpcId: "my-vpc" }, /not a VPC id/],
    ["a region that is not one", { region: "europe" }, /not an AWS region/],
    ["a role that is not an ARN", { roleArn: "alb" }, /not an IAM role ARN/],
    ["a chart range", { chart: { repository: "https://aws.github.io/eks-charts", chart: "aws-load-balancer-controller", version: "~1.6" } }, /not an exact version/],
    ["a plain-http repository", { chart: { repository: "http://aws.github.io/eks-charts", chart: "aws-load-balancer-controller", version: "1.6.1" } }, /not an https Helm repository/],
  ] as [string, Partial<AwsLoadBalancerControllerProps>, RegExp][])("refuses %s", (_n, over, message) => {
    expect(() => build(over)).toThrow(ShipyardValidationError);
    expect(() => build(over)).toThrow(message);
  });
});
