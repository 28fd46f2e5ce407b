import { describe, expect, it } from "vitest";
import { App, Testing } from "cdktf";
import { Construct } from "constructs";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { EksNodeGroup } from "@cdktf/provider-aws/lib/eks-node-group";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { buildEnvironment } from "../../src/stacks";
import { ShipyardStack } from "../../src/stacks/shipyard-stack";
import { addressGroup } from "../../src/stacks/addresses";
import { loadFixture } from "../support/environments";

type Json = { resource?: Record<string, Record<string, unknown>>; data?: Record<string, Record<string, unknown>> };

/** Every address (`aws_vpc.this`, `data.aws_iam_policy_document.x`) of a synthesized stack. */
function addresses(json: Json): string[] {
  const list: string[] = [];
  for (const [type, instances] of Object.entries(json.resource ?? {}))
    for (const name of Object.keys(instances)) list.push(`${type}.${name}`);
  for (const [type, instances] of Object.entries(json.data ?? {}))
    for (const name of Object.keys(instances)) list.push(`data.${type}.${name}`);
  return list.sort();
}

class TestStack extends ShipyardStack {
  constructor(scope: Construct, build: (stack: TestStack) => void) {
    super(scope, "network", { env: loadFixture("dev"), outdir: "cdktf.out" });
    build(this);
  }
}

function synthTest(build: (stack: TestStack) => void): string[] {
  const stack = new TestStack(Testing.app({ stackTraces: false }), build);
  return addresses(JSON.parse(Testing.synth(stack, false)) as Json);
}

const subnet = (scope: Construct, id: string) => new Subnet(scope, id, { vpcId: "vpc-1", cidrBlock: "10.0.0.0/24" });

describe("Terraform addresses", () => {
  const app = new App({ stackTraces: false, skipValidation: true });
  const all = (["dev", "staging", "prod"] as const).flatMap((name) =>
    Object.values(buildEnvironment(app, loadFixture(name), { outdir: "cdktf.out" })).map((stack) => ({
      stack: stack.node.id,
      addresses: addresses(JSON.parse(Testing.synth(stack, false)) as Json),
    })),
  );

  it("are readable: lower-case words joined by underscores, never a construct-path hash", () => {
    for (const { stack, addresses: list } of all) {
      for (const address of list) {
        const name = address.split(".").pop()!;
        if (address.startsWith("data.terraform_remote_state.")) continue; // named by CDKTF after the stack it reads
        expect(name, `${stack}: ${address}`).toMatch(/^[a-z_][a-z0-9_]*$/);
        expect(name, `${stack}: ${address}`).not.toMatch(/_[0-9a-f]{8}$/i);
      }
    }
  });

  it("say what a resource is", () => {
    const prod = (layer: string) => all.find((s) => s.stack === `prod-${layer}`)!.addresses;
    expect(prod("cluster")).toEqual(
      expect.arrayContaining([
        "aws_eks_node_group.general_a",
        "aws_eks_node_group.spot_c",
        "aws_eks_cluster.this",
        "aws_iam_role.irsa_velero",
      ]),
    );
    expect(prod("network")).toEqual(
      expect.arrayContaining([
        "aws_subnet.private_eu_west_1a",
        "aws_nat_gateway.nat_eu_west_1a",
        "aws_vpc.this",
        "aws_vpc_endpoint.ecr_api",
      ]),
    );
    expect(prod("foundation")).toEqual(expect.arrayContaining(["aws_kms_key.ebs", "aws_s3_bucket.backups"]));
    expect(prod("bootstrap")).toEqual(expect.arrayContaining(["aws_s3_bucket.audit", "aws_kms_key.audit_key"]));
    expect(prod("platform")).toEqual(expect.arrayContaining(["helm_release.velero", "data.aws_eks_cluster.this"]));
  });

  it("are unique within each stack", () => {
    for (const { stack, addresses: list } of all) expect(new Set(list).size, stack).toBe(list.length);
  });

  it("stay put when a construct moves under a grouping construct or a parent that restates its type", () => {
    const direct = synthTest((stack) => {
      subnet(stack, "private-eu-west-1a");
      new EksNodeGroup(stack, "general", {
        clusterName: "c",
        nodeRoleArn: "r",
        subnetIds: ["s"],
        scalingConfig: { minSize: 1, maxSize: 2, desiredSize: 1 },
      });
    });
    const moved = synthTest((stack) => {
      subnet(addressGroup(addressGroup(stack, "subnets"), "private"), "private-eu-west-1a");
      const groups = new Construct(stack, "node-groups");
      new EksNodeGroup(new Construct(groups, "general"), "node-group", {
        clusterName: "c",
        nodeRoleArn: "r",
        subnetIds: ["s"],
        scalingConfig: { minSize: 1, maxSize: 2, desiredSize: 1 },
      });
    });
    expect(direct).toEqual(["aws_eks_node_group.general", "aws_subnet.private_eu_west_1a"]);
    expect(moved).toEqual(direct);
  });

  it("drop the stack's layer and name a lone instance `this`", () => {
    expect(synthTest((stack) => subnet(new Construct(stack, "network"), "subnet"))).toEqual(["aws_subnet.this"]);
  });

  it("keep the parent's id when the leaf alone would be ambiguous", () => {
    const list = synthTest((stack) => {
      for (const role of ["velero", "external-secrets"])
        new DataAwsIamPolicyDocument(new Construct(stack, `irsa-${role}`), "trust", { statement: [] });
    });
    expect(list).toEqual(["data.aws_iam_policy_document.irsa_external_secrets_trust", "data.aws_iam_policy_document.irsa_velero_trust"]);
  });

  it("refuse two resources of one type with the same address at synthesis, naming both construct paths", () => {
    const stack = new TestStack(Testing.app({ stackTraces: false }), (s) => {
      subnet(new Construct(s, "a"), "b-c");
      subnet(new Construct(s, "a-b"), "c");
    });
    expect(() => Testing.synth(stack, false)).toThrow(/aws_subnet\.a_b_c is claimed by dev-network\/a\/b-c and dev-network\/a-b\/c/);
  });
});
