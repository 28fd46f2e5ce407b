import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { ShipyardValidationError } from "../../../modules/core";
import { NodeBootstrapAddons, WorkloadAddons, type NodeBootstrapAddonsProps } from "../../../modules/eks-cluster";
import { NodeGroups } from "../../../modules/node-groups";

type Json = Record<string, any>;
const versions = {
  vpcCni: "v1.22.4-eksbuild.3",
  kubeProxy: "v1.36.0-eksbuild.14",
  coredns: "v1.14.3-eksbuild.3",
  ebsCsiDriver: "v1.63.1-eksbuild.1",
  podIdentityAgent: "v1.3.10-eksbuild.3",
};
const base: NodeBootstrapAddonsProps = {
  clusterName: "shipyard-test",
  kubernetesVersion: "1.36",
  versions,
  vpcCniRoleArn: "arn:aws:iam::111111111111:role/shipyard-test-vpc-cni",
};

function synthAll(bootstrap: Partial<NodeBootstrapAddonsProps> = {}): Json {
  return JSON.parse(
    Testing.synthScope((scope) => {
      const early = new NodeBootstrapAddons(scope, "bootstrap-addons", { ...base, ...bootstrap });
      const nodes = new NodeGroups(scope, "nodes", {
        clusterName: "shipyard-test",
        clusterEndpoint: "https://x.eks.amazonaws.com",
        clusterCertificateAuthority: "Q0E=",
        serviceCidr: "172.20.0.0/16",
        nodeRoleName: "shipyard-test-node",
        permissionsBoundaryArn: "arn:aws:iam::111111111111:policy/shipyard-test-boundary",
        subnetIds: ["subnet-a", "subnet-b"],
        ebsKmsKeyArn: "arn:aws:kms:eu-west-1:111111111111:key/abc",
        nodeSettings: {
          systemReserved: { cpu: "100m", memory: "256Mi" },
          kubeReserved: { cpu: "100m", memory: "512Mi" },
          evictionHard: {},
        },
        groups: [
          { name: "system", kind: "system", architecture: "x86_64", instanceTypes: ["m6i.large"], minSize: 1, desiredSize: 1, maxSize: 2 },
        ],
        dependsOn: early.dependables,
      });
      new WorkloadAddons(scope, "workload-addons", {
        clusterName: "shipyard-test",
        versions,
        ebsCsiRoleArn: "arn:aws:iam::111111111111:role/shipyard-test-ebs-csi",
        nodeGroups: nodes.dependables,
      });
    }),
  );
}

describe("EKS managed add-ons", () => {
  const out = synthAll();
  const entries = Object.entries(out.resource.aws_eks_addon) as [string, Json][];
  const addon = (name: string) => entries.find(([, a]) => a.addon_name === name)!;
  const nodeGroupKey = Object.keys(out.resource.aws_eks_node_group)[0]!;

  it("installs the five add-ons with pinned versions", () => {
    expect(Object.fromEntries(entries.map(([, a]) => [a.addon_name, a.addon_version]))).toEqual({
      "vpc-cni": versions.vpcCni,
      "kube-proxy": versions.kubeProxy,
      "eks-pod-identity-agent": versions.podIdentityAgent,
      coredns: versions.coredns,
      "aws-ebs-csi-driver": versions.ebsCsiDriver,
    });
  });

  it("configures vpc-cni with its own role, prefix delegation and network policy", () => {
    const [, cni] = addon("vpc-cni");
    expect(cni.service_account_role_arn).toBe("arn:aws:iam::111111111111:role/shipyard-test-vpc-cni");
    expect(JSON.parse(cni.configuration_values)).toEqual({
      env: { ENABLE_PREFIX_DELEGATION: "true", WARM_PREFIX_TARGET: "1" },
      enableNetworkPolicy: "true",
    });
  });

  it("gives the EBS CSI driver its own role", () => {
    expect(addon("aws-ebs-csi-driver")[1].service_account_role_arn).toBe("arn:aws:iam::111111111111:role/shipyard-test-ebs-csi");
  });

  it("creates coredns and the EBS CSI driver after the node groups, and node groups after the node add-ons", () => {
    for (const name of ["coredns", "aws-ebs-csi-driver"]) expect(addon(name)[1].depends_on).toEqual([`aws_eks_node_group.${nodeGroupKey}`]);
    for (const name of ["vpc-cni", "kube-proxy", "eks-pod-identity-agent"]) expect(addon(name)[1].depends_on).toBeUndefined();
    const groupDeps = (out.resource.aws_eks_node_group[nodeGroupKey] as Json).depends_on as string[];
    for (const name of ["vpc-cni", "kube-proxy", "eks-pod-identity-agent"]) expect(groupDeps).toContain(`aws_eks_addon.${addon(name)[0]}`);
  });

  it("overwrites conflicts on create everywhere and on update except coredns (Corefile edits are kept)", () => {
    for (const [, a] of entries) expect(a.resolve_conflicts_on_create).toBe("OVERWRITE");
    expect(Object.fromEntries(entries.map(([, a]) => [a.addon_name, a.resolve_conflicts_on_update]))).toEqual({
      "vpc-cni": "OVERWRITE",
      "kube-proxy": "OVERWRITE",
      "eks-pod-identity-agent": "OVERWRITE",
      coredns: "PRESERVE",
      "aws-ebs-csi-driver": "OVERWRITE",
    });
  });

  it("can turn prefix delegation off", () => {
    const out = synthAll({ vpcCni: { prefixDelegation: false } });
    const cni = (Object.values(out.resource.aws_eks_addon) as Json[]).find((a) => a.addon_name === "vpc-cni")!;
    expect(JSON.parse(cni.configuration_values).env).toEqual({ ENABLE_PREFIX_DELEGATION: "false" });
  });
});

describe("add-on refusals", () => {
  it("refuses kube-proxy built for another Kubernetes version", () => {
    const build = () => synthAll({ kubernetesVersion: "1.33" });
    expect(build).toThrow(ShipyardValidationError);
    expect(build).toThrow(/addons\.kubeProxy: v1\.36\.0-eksbuild\.14 is built for Kubernetes 1\.36 but the cluster runs 1\.33/);
  });

  it("refuses an unpinned version", () => {
    expect(() => synthAll({ versions: { ...versions, vpcCni: "latest" } })).toThrow(
      /addons\.vpc-cni: "latest" is not a pinned EKS add-on version/,
    );
  });

  it("refuses workload add-ons without node groups", () => {
    expect(() =>
      Testing.synthScope(
        (scope) => new WorkloadAddons(scope, "w", { clusterName: "c", versions, ebsCsiRoleArn: "arn:aws:iam::1:role/x", nodeGroups: [] }),
      ),
    ).toThrow(/nodeGroups: coredns and aws-ebs-csi-driver need nodes/);
  });
});
