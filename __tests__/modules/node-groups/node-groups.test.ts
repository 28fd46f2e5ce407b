import { Testing } from "cdktf";
import { parse as parseYaml } from "yaml";
import { describe, expect, it } from "vitest";
import { ShipyardValidationError } from "../../../modules/core";
import {
  NODE_ROLE_POLICY_ARNS,
  NodeGroups,
  renderUserData,
  splitAcrossZones,
  USER_DATA_BOUNDARY,
  type NodeGroupSpec,
  type NodeGroupsProps,
} from "../../../modules/node-groups";

const EBS_KEY = "arn:aws:kms:eu-west-1:111111111111:key/0b7f2a4e-1111-2222-3333-444455556666";
const CA = Buffer.from("-----BEGIN CERTIFICATE-----\nTEST\n-----END CERTIFICATE-----\n").toString("base64");

const system: NodeGroupSpec = {
  name: "system",
  kind: "system",
  architecture: "x86_64",
  instanceTypes: ["m6i.large"],
  minSize: 2,
  desiredSize: 2,
  maxSize: 4,
};
const spot: NodeGroupSpec = {
  name: "spot",
  kind: "spot",
  architecture: "x86_64",
  instanceTypes: ["m6i.xlarge", "m6a.xlarge", "m7i.xlarge"],
  minSize: 0,
  desiredSize: 1,
  maxSize: 6,
  labels: { workload: "batch" },
};
const arm: NodeGroupSpec = {
  name: "arm",
  kind: "general",
  architecture: "arm64",
  instanceTypes: ["m7g.large"],
  minSize: 1,
  desiredSize: 1,
  maxSize: 3,
  diskSizeGiB: 80,
  maxUnavailablePercentage: 20,
};

function props(overrides: Partial<NodeGroupsProps> = {}): NodeGroupsProps {
  return {
    clusterName: "shipyard-test",
    clusterEndpoint: "https://ABCDEF.gr7.eu-west-1.eks.amazonaws.com",
    clusterCertificateAuthority: CA,
    serviceCidr: "172.20.0.0/16",
    nodeRoleName: "shipyard-test-node",
    permissionsBoundaryArn: "arn:aws:iam::111111111111:policy/shipyard-test-boundary",
    subnetIds: ["subnet-a", "subnet-b", "subnet-c"],
    ebsKmsKeyArn: EBS_KEY,
    nodeSettings: {
      maxPods: 110,
      systemReserved: { cpu: "100m", memory: "256Mi" },
      kubeReserved: { cpu: "100m", memory: "512Mi" },
      evictionHard: { "nodefs.available": "10%", "memory.available": "200Mi" },
      sysctls: { "vm.max_map_count": 262144, "net.ipv4.ip_forward": 1 },
    },
    groups: [system, spot, arm],
    ...overrides,
  };
}

type Json = Record<string, any>;
function synth(p: NodeGroupsProps = props()): Json {
  return JSON.parse(Testing.synthScope((scope) => new NodeGroups(scope, "nodes", p)));
}
const byName = (resources: Json, field: string) => Object.fromEntries(Object.values(resources).map((r: any) => [r[field], r]));

/** Splits a MIME multi-part document into its parts' content types and bodies. */
function mimeParts(text: string): { contentType: string; body: string }[] {
  expect(text.startsWith("MIME-Version: 1.0\n")).toBe(true);
  expect(text).toContain(`Content-Type: multipart/mixed; boundary="${USER_DATA_BOUNDARY}"`);
  expect(text.trimEnd().endsWith(`--${USER_DATA_BOUNDARY}--`)).toBe(true);
  return text
    .split(`--${USER_DATA_BOUNDARY}`)
    .slice(1, -1)
    .map((chunk) => {
      const [head, ...rest] = chunk.replace(/^\n/, "").split("\n\n");
      return { contentType: head!.replace(/^Content-Type: /, ""), body: rest.join("\n\n") };
    });
}

describe("NodeGroups", () => {
  const out = synth();
  const templates = byName(out.resource.aws_launch_template, "name");
  const groups = Object.fromEntries(Object.values(out.resource.aws_eks_node_group).map((g: any) => [g.node_group_name_prefix, g]));

  it("creates one launch template and one managed node group per group", () => {
    expect(Object.keys(templates).sort()).toEqual(["shipyard-test-arm", "shipyard-test-spot", "shipyard-test-system"]);
    expect(Object.keys(groups).sort()).toEqual(["arm-", "spot-", "system-"]);
  });

  it("requires IMDSv2 with hop limit 1, no SSH key, detailed monitoring", () => {
    for (const lt of Object.values(templates) as Json[]) {
      expect(lt.metadata_options).toEqual({
        http_endpoint: "enabled",
        http_tokens: "required",
        http_put_response_hop_limit: 1,
        instance_metadata_tags: "disabled",
      });
      expect(lt.key_name).toBeUndefined();
      expect(lt.monitoring).toEqual({ enabled: true });
      expect(lt.image_id).toBeUndefined();
      expect(lt.update_default_version).toBe(true);
      expect(lt.vpc_security_group_ids).toBeUndefined();
    }
  });

  it("encrypts gp3 root volumes with the EBS key", () => {
    expect(templates["shipyard-test-system"].block_device_mappings).toEqual([
      {
        device_name: "/dev/xvda",
        ebs: {
          volume_size: 50,
          volume_type: "gp3",
          iops: 3000,
          throughput: 125,
          encrypted: "true",
          kms_key_id: EBS_KEY,
          delete_on_termination: "true",
        },
      },
    ]);
    expect(templates["shipyard-test-arm"].block_device_mappings[0].ebs.volume_size).toBe(80);
  });

  it("tags instances, volumes and network interfaces", () => {
    const specs = templates["shipyard-test-spot"].tag_specifications;
    expect(specs.map((s: Json) => s.resource_type)).toEqual(["instance", "volume", "network-interface"]);
    for (const s of specs) expect(s.tags).toMatchObject({ Name: "shipyard-test-spot", "eks:cluster-name": "shipyard-test" });
  });

  it("names each instance's group as its node group does, and leaves eks:nodegroup-name to EKS", () => {
    // The EKS name is the prefix plus a suffix EKS picks, unknown when the template is written: a tag
    // naming the group in EKS's own key would name it wrongly, so only the short name is written.
    const groups = Object.values(out.resource.aws_eks_node_group) as Json[];
    for (const lt of Object.values(templates) as Json[]) {
      const group = groups.find((g) => lt.name === `shipyard-test-${g.tags["shipyard:node-group"]}`)!;
      expect(group).toBeDefined();
      expect(group.node_group_name_prefix).toBe(`${group.tags["shipyard:node-group"]}-`);
      for (const spec of lt.tag_specifications) {
        expect(Object.keys(spec.tags)).not.toContain("eks:nodegroup-name");
        expect(spec.tags["shipyard:node-group"]).toBe(group.tags["shipyard:node-group"]);
      }
    }
  });

  it("renders the nodeadm NodeConfig and sysctls into MIME multi-part user data", () => {
    const text = Buffer.from(templates["shipyard-test-system"].user_data, "base64").toString("utf8");
    const parts = mimeParts(text);
    expect(parts.map((p) => p.contentType)).toEqual(["application/node.eks.aws", 'text/x-shellscript; charset="us-ascii"']);
    const config = parseYaml(parts[0]!.body);
    expect(config).toEqual({
      apiVersion: "node.eks.aws/v1alpha1",
      kind: "NodeConfig",
      spec: {
        cluster: {
          name: "shipyard-test",
          apiServerEndpoint: "https://ABCDEF.gr7.eu-west-1.eks.amazonaws.com",
          certificateAuthority: CA,
          cidr: "172.20.0.0/16",
        },
        kubelet: {
          config: {
            maxPods: 110,
            systemReserved: { cpu: "100m", memory: "256Mi" },
            kubeReserved: { cpu: "100m", memory: "512Mi" },
            evictionHard: { "memory.available": "200Mi", "nodefs.available": "10%" },
          },
        },
      },
    });
    // No kubelet flags: labels and taints go through the managed node group.
    expect(config.spec.kubelet.flags).toBeUndefined();
    const script = parts[1]!.body;
    expect(script.startsWith("#!/bin/bash\n")).toBe(true);
    expect(script).toContain("net.ipv4.ip_forward = 1\nvm.max_map_count = 262144\n");
    expect(script).toContain("sysctl --load=/etc/sysctl.d/90-shipyard.conf");
    // Every group boots with the same user data.
    for (const lt of Object.values(templates) as Json[]) expect(lt.user_data).toBe(templates["shipyard-test-system"].user_data);
  });

  it("omits the shell part and maxPods when not configured", () => {
    const text = renderUserData({
      clusterName: "c",
      clusterEndpoint: "https://x",
      clusterCertificateAuthority: CA,
      serviceCidr: "172.20.0.0/16",
      nodeSettings: { systemReserved: { cpu: "1", memory: "1Gi" }, kubeReserved: { cpu: "1", memory: "1Gi" }, evictionHard: {} },
    });
    const parts = mimeParts(text);
    expect(parts).toHaveLength(1);
    expect(parseYaml(parts[0]!.body).spec.kubelet.config.maxPods).toBeUndefined();
  });

  it("picks the AL2023 AMI type by architecture and the capacity type by kind", () => {
    expect(groups["system-"]).toMatchObject({ ami_type: "AL2023_x86_64_STANDARD", capacity_type: "ON_DEMAND" });
    expect(groups["arm-"]).toMatchObject({ ami_type: "AL2023_ARM_64_STANDARD", capacity_type: "ON_DEMAND" });
    expect(groups["spot-"]).toMatchObject({ ami_type: "AL2023_x86_64_STANDARD", capacity_type: "SPOT" });
    expect(groups["spot-"].instance_types).toEqual(["m6i.xlarge", "m6a.xlarge", "m7i.xlarge"]);
  });

  it("taints the system group CriticalAddonsOnly and labels and taints spot groups", () => {
    expect(groups["system-"].taint).toEqual([{ key: "CriticalAddonsOnly", value: "true", effect: "NO_SCHEDULE" }]);
    expect(groups["spot-"].taint).toEqual([{ key: "shipyard.io/spot", value: "true", effect: "NO_SCHEDULE" }]);
    expect(groups["spot-"].labels).toEqual({
      workload: "batch",
      "shipyard.io/node-group": "spot",
      "shipyard.io/node-kind": "spot",
      "shipyard.io/capacity": "spot",
    });
    expect(groups["arm-"].taint).toEqual([]);
  });

  it("does not duplicate a taint the config already lists", () => {
    const out = synth(props({ groups: [{ ...system, taints: [{ key: "CriticalAddonsOnly", value: "true", effect: "NoSchedule" }] }] }));
    const group = Object.values(out.resource.aws_eks_node_group)[0] as Json;
    expect(group.taint).toHaveLength(1);
  });

  it("bounds rolling updates, lets the autoscaler own desired size, replaces before destroying", () => {
    expect(groups["system-"].update_config).toEqual({ max_unavailable_percentage: 33 });
    expect(groups["arm-"].update_config).toEqual({ max_unavailable_percentage: 20 });
    expect(groups["spot-"].scaling_config).toEqual({ min_size: 0, desired_size: 1, max_size: 6 });
    for (const g of Object.values(groups) as Json[]) {
      expect(g.lifecycle).toEqual({ create_before_destroy: true, ignore_changes: ["scaling_config[0].desired_size"] });
      expect(g.launch_template.id).toMatch(/^\$\{aws_launch_template\..+\.id\}$/);
      expect(g.launch_template.version).toMatch(/latest_version/);
      expect(g.remote_access).toBeUndefined();
      expect(g.subnet_ids).toEqual(["subnet-a", "subnet-b", "subnet-c"]);
    }
  });

  it("tags node groups and their Auto Scaling groups for autoscaler discovery and scale from zero", () => {
    for (const g of Object.values(groups) as Json[]) {
      expect(g.tags).toMatchObject({ "k8s.io/cluster-autoscaler/enabled": "true", "k8s.io/cluster-autoscaler/shipyard-test": "owned" });
    }
    const asgTags = Object.values(out.resource.aws_autoscaling_group_tag) as Json[];
    const spotTags = Object.fromEntries(
      asgTags.filter((t) => t.autoscaling_group_name.includes("_spot_node-group_")).map((t) => [t.tag.key, t.tag]),
    );
    expect(spotTags["k8s.io/cluster-autoscaler/enabled"]).toEqual({
      key: "k8s.io/cluster-autoscaler/enabled",
      value: "true",
      propagate_at_launch: false,
    });
    expect(spotTags["k8s.io/cluster-autoscaler/shipyard-test"]?.value).toBe("owned");
    expect(spotTags["k8s.io/cluster-autoscaler/node-template/label/shipyard.io/capacity"]?.value).toBe("spot");
    expect(spotTags["k8s.io/cluster-autoscaler/node-template/label/eks.amazonaws.com/capacityType"]?.value).toBe("SPOT");
    expect(spotTags["k8s.io/cluster-autoscaler/node-template/label/workload"]?.value).toBe("batch");
    expect(spotTags["k8s.io/cluster-autoscaler/node-template/taint/shipyard.io/spot"]?.value).toBe("true:NoSchedule");
    for (const t of asgTags) expect(t.autoscaling_group_name).toMatch(/resources\[0\]\.autoscaling_groups\[0\]\.name/);
  });

  it("gives the node role only the worker, registry pull and SSM core policies, with the boundary", () => {
    const role = Object.values(out.resource.aws_iam_role)[0] as Json;
    expect(role.name).toBe("shipyard-test-node");
    expect(role.permissions_boundary).toBe("arn:aws:iam::111111111111:policy/shipyard-test-boundary");
    const attached = (Object.values(out.resource.aws_iam_role_policy_attachment) as Json[]).map((a) => a.policy_arn).sort();
    expect(attached).toEqual([...NODE_ROLE_POLICY_ARNS].sort());
    expect(attached).not.toContain("arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy");
    expect(out.resource.aws_iam_role_policy).toBeUndefined();
    const trust = Object.values(out.data.aws_iam_policy_document)[0] as Json;
    expect(trust.statement[0]).toMatchObject({
      actions: ["sts:AssumeRole"],
      principals: [{ type: "Service", identifiers: ["ec2.amazonaws.com"] }],
    });
    for (const g of Object.values(groups) as Json[]) {
      expect(g.node_role_arn).toMatch(/aws_iam_role\..+\.arn/);
      expect(g.depends_on.some((d: string) => d.startsWith("aws_iam_role_policy_attachment."))).toBe(true);
    }
  });
});

describe("NodeGroups refusals", () => {
  const refused: [string, Partial<NodeGroupSpec>, RegExp][] = [
    ["an unencrypted root volume", { diskEncrypted: false }, /groups\[0\]\.diskEncrypted: root volumes are always encrypted/],
    ["an SSH key", { sshKeyName: "ops" }, /groups\[0\]\.sshKeyName: SSH access to nodes is not allowed/],
    ["hop limit 2", { metadataHopLimit: 2 }, /groups\[0\]\.metadataHopLimit: hop limit 2 lets pods reach/],
    ["an unbounded rolling update", { maxUnavailablePercentage: 100 }, /maxUnavailablePercentage: expected 1 to 50/],
    ["min above desired", { minSize: 3, desiredSize: 2 }, /desiredSize: expected 0 <= minSize <= desiredSize/],
    ["a malformed instance type", { instanceTypes: ["m6i"] }, /instanceTypes\[0\]: "m6i" is not an instance type/],
  ];
  it.each(refused)("refuses %s", (_name, change, message) => {
    const build = () => synth(props({ groups: [{ ...system, ...change }] }));
    expect(build).toThrow(ShipyardValidationError);
    expect(build).toThrow(message);
  });

  it("refuses a spot group with fewer than 3 instance types", () => {
    expect(() => synth(props({ groups: [{ ...spot, instanceTypes: ["m6i.xlarge"] }] }))).toThrow(
      /groups\[0\]\.instanceTypes: a spot group needs at least 3 instance types to survive interruptions, got 1/,
    );
    expect(() => synth(props({ groups: [{ ...spot, instanceTypes: ["m6i.xlarge", "m6a.xlarge"] }] }))).toThrow(/got 2/);
  });

  it("refuses a spot group of mixed sizes", () => {
    expect(() => synth(props({ groups: [{ ...spot, instanceTypes: ["m6i.xlarge", "m6a.2xlarge", "m7i.xlarge"] }] }))).toThrow(
      /spot types must be of one size .* got xlarge, 2xlarge/,
    );
  });

  it("refuses duplicate group names and bad sysctl keys", () => {
    expect(() => synth(props({ groups: [system, system] }))).toThrow(/groups\[1\]\.name: duplicate node group name system/);
    expect(() => synth(props({ nodeSettings: { ...props().nodeSettings, sysctls: { "bad key; rm -rf /": 1 } } }))).toThrow(
      /is not a sysctl key/,
    );
    expect(() => synth(props({ nodeSettings: { ...props().nodeSettings, sysctls: { "vm.x": "1\nEOF" } } }))).toThrow(
      /characters a sysctl.d file cannot hold/,
    );
  });
});

describe("NodeGroups cluster name", () => {
  it("refuses a reference as the cluster name (it is part of tag keys)", () => {
    expect(() =>
      Testing.synthScope((scope) => {
        const other = new NodeGroups(scope, "a", props());
        new NodeGroups(scope, "b", { ...props(), nodeRoleName: "x", clusterName: other.nodeRoleName });
      }),
    ).toThrow(/clusterName: must be the literal cluster name/);
  });
});

describe("NodeGroups per zone", () => {
  const zonal = () => synth(props({ subnetZones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"] }));

  it("splits sizes across zones as evenly as whole numbers allow", () => {
    expect(splitAcrossZones(4, 3)).toEqual([2, 1, 1]);
    expect(splitAcrossZones(1, 2)).toEqual([1, 0]);
    expect(splitAcrossZones(0, 3)).toEqual([0, 0, 0]);
  });

  it("makes one group per config group and zone, each in its zone's subnet, labelled alike and templated with its zone", () => {
    const json = zonal();
    const groups = Object.values(json.resource.aws_eks_node_group) as Json[];
    expect(groups).toHaveLength(9);
    const systemA = groups.find((g) => g.node_group_name_prefix === "system-a-")!;
    expect(systemA.subnet_ids).toEqual(["subnet-a"]);
    expect(groups.find((g) => g.node_group_name_prefix === "system-c-")!.subnet_ids).toEqual(["subnet-c"]);
    expect(new Set(groups.filter((g) => g.tags["shipyard:node-group"] === "system").map((g) => JSON.stringify(g.labels))).size).toBe(1);
    const zoneTags = (Object.values(json.resource.aws_autoscaling_group_tag) as Json[])
      .filter((t) => t.tag.key === "k8s.io/cluster-autoscaler/node-template/label/topology.kubernetes.io/zone")
      .map((t) => t.tag.value)
      .sort();
    expect(zoneTags).toEqual([
      "eu-west-1a",
      "eu-west-1a",
      "eu-west-1a",
      "eu-west-1b",
      "eu-west-1b",
      "eu-west-1b",
      "eu-west-1c",
      "eu-west-1c",
      "eu-west-1c",
    ]);
  });

  it("refuses zones that do not match the subnets", () => {
    expect(() => synth(props({ subnetZones: ["eu-west-1a"] }))).toThrow(/subnetZones: expected one zone per subnet \(3\), got 1/);
  });
});
