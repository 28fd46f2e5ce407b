import { describe, expect, it } from "vitest";
import { ClusterAutoscaler, nodeGroupAsgPattern, type ClusterAutoscalerProps } from "../../../modules/addons";
import { ShipyardValidationError } from "../../../modules/core";
import { expectSafeRelease, PLACEMENT, release, releaseValues, ROLE, synth } from "./helpers";

const base: ClusterAutoscalerProps = {
  clusterName: "shipyard-dev",
  region: "eu-west-1",
  roleArn: ROLE("cluster-autoscaler"),
  kubernetesVersion: "1.36",
  nodeGroups: [
    { name: "system", kind: "system" },
    { name: "general", kind: "general" },
    { name: "spot", kind: "spot" },
    { name: "spot-large", kind: "spot" },
  ],
  placement: PLACEMENT,
};

function build(over: Partial<ClusterAutoscalerProps> = {}) {
  const r = release(
    synth((s) => new ClusterAutoscaler(s, "ca", { ...base, ...over })),
    "cluster-autoscaler",
  );
  expectSafeRelease(r);
  return { r, v: releaseValues(r) };
}

describe("ClusterAutoscaler", () => {
  it("runs the autoscaler release built for the cluster's Kubernetes minor, not the chart's default", () => {
    expect(build().v.image).toEqual({ tag: "v1.36.1" });
  });

  it("refuses a Kubernetes version it has no autoscaler release pinned for", () => {
    expect(() => build({ kubernetesVersion: "1.30" })).toThrowError(ShipyardValidationError);
    expect(() => build({ kubernetesVersion: "1.30" })).toThrowError(
      /clusterAutoscaler.kubernetesVersion: no cluster-autoscaler release is pinned for Kubernetes 1.30/,
    );
  });

  it("discovers the cluster's groups in its region with its IRSA role", () => {
    const { r, v } = build();
    expect(r).toMatchObject({
      chart: "cluster-autoscaler",
      repository: "https://kubernetes.github.io/autoscaler",
      version: "9.59.0",
      namespace: "kube-system",
    });
    expect(v).toMatchObject({ cloudProvider: "aws", awsRegion: "eu-west-1", autoDiscovery: { clusterName: "shipyard-dev" } });
    expect(v.rbac.serviceAccount).toEqual({
      create: true,
      name: "cluster-autoscaler",
      annotations: { "eks.amazonaws.com/role-arn": ROLE("cluster-autoscaler") },
    });
  });

  it("prefers spot groups, then on-demand workload groups, the system group last; least-waste breaks ties", () => {
    const { v } = build();
    expect(v.extraArgs).toMatchObject({
      expander: "priority,least-waste",
      "balance-similar-node-groups": true,
      "skip-nodes-with-system-pods": false,
    });
    expect(v.expanderPriorities).toEqual({
      "1": [nodeGroupAsgPattern("system")],
      "10": [nodeGroupAsgPattern("general")],
      "50": [nodeGroupAsgPattern("spot"), nodeGroupAsgPattern("spot-large")],
    });
  });

  it("matches managed node group ASG names, with or without the cluster prefix", () => {
    const re = new RegExp(nodeGroupAsgPattern("spot"));
    expect(re.test("eks-spot-4ec6a1b2-1234-5678-9abc-def012345678")).toBe(true);
    expect(re.test("eks-shipyard-dev-spot-4ec6a1b2-1234-5678-9abc-def012345678")).toBe(true);
    expect(re.test("eks-spot-large-4ec6a1b2-1234-5678-9abc-def012345678")).toBe(false);
    expect(re.test("eks-general-4ec6a1b2-1234-5678-9abc-def012345678")).toBe(false);
    // The per-zone groups of a config group (`spot-a`, `spot-b` …, named with a timestamp suffix).
    expect(re.test("eks-spot-b-20261201101010123400000001-4ec6a1b2-1234-5678-9abc-def012345678")).toBe(true);
    expect(re.test("eks-spot-large-a-20261201101010123400000001-4ec6a1b2-1234-5678-9abc-def012345678")).toBe(false);
  });

  it("tolerates CriticalAddonsOnly and prefers the system group", () => {
    const { v } = build();
    expect(v.tolerations).toEqual([{ key: "CriticalAddonsOnly", operator: "Exists" }]);
    expect(v.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight).toBe(100);
    expect(v.priorityClassName).toBe("system-cluster-critical");
  });

  it.each([
    ["no node groups", { nodeGroups: [] }, /at least one node group/],
    ["a missing region", { region: "" }, /region: required/],
    [
      "a chart range",
      { chart: { repository: "https://kubernetes.github.io/autoscaler", chart: "cluster-autoscaler", version: "9.x" } },
      /not an exact version/,
    ],
  ] as [string, Partial<ClusterAutoscalerProps>, RegExp][])("refuses %s", (_n, over, message) => {
    expect(() => build(over)).toThrow(ShipyardValidationError);
    expect(() => build(over)).toThrow(message);
  });
});
