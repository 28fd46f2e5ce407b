import { describe, expect, it } from "vitest";
import {
  AwsLoadBalancerController,
  RAW_CHART,
  TeamIngressClasses,
  type AwsLoadBalancerControllerProps,
  type TeamIngressClass,
} from "../../../modules/addons";
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
  const r = release(
    synth((s) => new AwsLoadBalancerController(s, "alb", { ...base, ...over })),
    "aws-load-balancer-controller",
  );
  expectSafeRelease(r);
  return { r, v: releaseValues(r) };
}

describe("AwsLoadBalancerController", () => {
  it("sets cluster, region and VPC explicitly and annotates its service account with the IRSA role", () => {
    const { r, v } = build();
    expect(r).toMatchObject({
      chart: "aws-load-balancer-controller",
      repository: "https://aws.github.io/eks-charts",
      version: "3.5.0",
      namespace: "kube-system",
    });
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

  it("spreads two replicas over nodes (required) and zones (preferred), since the system-group affinity replaces the chart's anti-affinity", () => {
    expect(build().v.topologySpreadConstraints).toEqual([]);
    const spread = build({ replicas: 2 }).v.topologySpreadConstraints;
    expect(spread.map((c: { topologyKey: string; whenUnsatisfiable: string }) => [c.topologyKey, c.whenUnsatisfiable])).toEqual([
      ["kubernetes.io/hostname", "DoNotSchedule"],
      ["topology.kubernetes.io/zone", "ScheduleAnyway"],
    ]);
    expect(spread[0].labelSelector.matchLabels).toEqual({
      "app.kubernetes.io/name": "aws-load-balancer-controller",
      "app.kubernetes.io/instance": "aws-load-balancer-controller",
    });
  });

  it("offers no shared IngressClass and ignores the group.name and ingress.class annotations", () => {
    expect(build().v).toMatchObject({
      createIngressClassResource: false,
      ingressClassParams: { create: false },
      disableIngressGroupNameAnnotation: true,
      disableIngressClassAnnotation: true,
    });
  });

  it.each([
    ["a missing region", { region: "" }, /region: required/],
    ["a missing VPC id", { vpcId: "" }, /vpcId: required/],
    ["a VPC id that is not one", { vpcId: "my-vpc" }, /not a VPC id/],
    ["a region that is not one", { region: "europe" }, /not an AWS region/],
    ["a role that is not an ARN", { roleArn: "alb" }, /not an IAM role ARN/],
    [
      "a chart range",
      { chart: { repository: "https://aws.github.io/eks-charts", chart: "aws-load-balancer-controller", version: "~1.6" } },
      /not an exact version/,
    ],
    [
      "a plain-http repository",
      { chart: { repository: "http://aws.github.io/eks-charts", chart: "aws-load-balancer-controller", version: "1.6.1" } },
      /not an https Helm repository/,
    ],
  ] as [string, Partial<AwsLoadBalancerControllerProps>, RegExp][])("refuses %s", (_n, over, message) => {
    expect(() => build(over)).toThrow(ShipyardValidationError);
    expect(() => build(over)).toThrow(message);
  });
});

describe("TeamIngressClasses", () => {
  const classes: TeamIngressClass[] = [
    {
      name: "alb-payments-public",
      groupName: "payments-public",
      scheme: "internet-facing",
      namespaceLabel: { key: "shipyard.io/team", value: "payments" },
    },
    {
      name: "alb-search-public",
      groupName: "search-public",
      scheme: "internet-facing",
      namespaceLabel: { key: "shipyard.io/team", value: "search" },
    },
  ];
  const build = (c: TeamIngressClass[] = classes) =>
    releaseValues(
      release(
        synth((s) => new TeamIngressClasses(s, "classes", { classes: c, rawChart: RAW_CHART, dependsOn: [] })),
        "team-ingress-classes",
      ),
    );

  it("binds each class to its team's namespaces, its own IngressGroup, its scheme and the load balancer subnets", () => {
    const resources = build().resources;
    const params = resources.filter((r: { kind: string }) => r.kind === "IngressClassParams");
    expect(params[0]).toEqual({
      apiVersion: "elbv2.k8s.aws/v1beta1",
      kind: "IngressClassParams",
      metadata: { name: "alb-payments-public" },
      spec: {
        namespaceSelector: { matchLabels: { "shipyard.io/team": "payments" } },
        group: { name: "payments-public" },
        scheme: "internet-facing",
        subnets: { tags: { "kubernetes.io/role/elb": ["1"] } },
      },
    });
    const ingressClasses = resources.filter((r: { kind: string }) => r.kind === "IngressClass");
    expect(ingressClasses[1].spec).toEqual({
      controller: "ingress.k8s.aws/alb",
      parameters: { apiGroup: "elbv2.k8s.aws", kind: "IngressClassParams", name: "alb-search-public" },
    });
  });

  it("refuses one IngressGroup bound to two teams", () => {
    const shared = [classes[0]!, { ...classes[1]!, groupName: "payments-public" }];
    expect(() => build(shared)).toThrow(ShipyardValidationError);
    expect(() => build(shared)).toThrow(/group payments-public is already bound to namespaces shipyard.io\/team=payments/);
  });
});
