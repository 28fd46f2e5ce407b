import { describe, expect, it } from "vitest";
import { estimateEnvironment, instanceHourly, priceTableFor } from "../../src/cost/estimate";
import { deltas, formatCost } from "../../src/cost/format";
import { EU_WEST_1 } from "../../src/cost/prices/eu-west-1";
import { PRICE_TABLES } from "../../src/cost/prices";
import { DEFAULT_USAGE, usageFor } from "../../src/cost/usage";
import { ConfigError } from "../../src/config";

const provider = { aws: [{ region: "eu-west-1", default_tags: [{ tags: { "shipyard:tier": "prod" } }] }] };
const cluster = (desired: number, spot = false) => ({
  provider,
  resource: {
    aws_eks_cluster: { this: { upgrade_policy: { support_type: "STANDARD" } } },
    aws_eks_node_group: {
      general: {
        instance_types: spot ? ["m6i.xlarge", "m5.xlarge"] : ["m6i.2xlarge"],
        capacity_type: spot ? "SPOT" : "ON_DEMAND",
        scaling_config: { min_size: 1, desired_size: desired, max_size: 10 },
        launch_template: { id: "${aws_launch_template.general.id}" },
      },
    },
    aws_launch_template: { general: { block_device_mappings: [{ ebs: { volume_size: 50, volume_type: "gp3" } }] } },
    aws_iam_role: { free: {} },
  },
});

const estimate = (json: Record<string, unknown>) =>
  estimateEnvironment("prod", new Map([["prod-cluster", json]]), DEFAULT_USAGE.prod!, EU_WEST_1);

describe("cost estimate", () => {
  it("prices a node group at its desired size, on-demand, with reserved and savings-plan figures beside it", () => {
    const [stack] = estimate(cluster(3)).stacks;
    const group = stack!.resources.find((r) => r.address === "aws_eks_node_group.general")!;
    const hourly = EU_WEST_1.ec2OnDemandLarge["m6i.large"]! * 4;
    expect(group.components[0]).toMatchObject({ quantity: 730 * 3, unit: "hours", monthly: Math.round(730 * 3 * hourly * 100) / 100 });
    expect(group.components[1]).toMatchObject({ name: "Root volumes: gp3 50 GB × 3", quantity: 150, monthly: 13.2 });
    expect(group.commitments!.reserved1yNoUpfront).toBeCloseTo(730 * 3 * hourly * 0.63, 1);
    expect(group.commitments!.reserved1yNoUpfront).toBeLessThan(group.components[0]!.monthly);
  });

  it("prices spot at the documented share of the listed types' average on-demand price, without commitments", () => {
    const group = estimate(cluster(2, true)).stacks[0]!.resources.find((r) => r.address === "aws_eks_node_group.general")!;
    const average = ((EU_WEST_1.ec2OnDemandLarge["m6i.large"]! + EU_WEST_1.ec2OnDemandLarge["m5.large"]!) * 2) / 2;
    expect(group.components[0]!.monthly).toBeCloseTo(730 * 2 * average * EU_WEST_1.spotShareOfOnDemand.usd, 1);
    expect(group.commitments).toBeUndefined();
  });

  it("charges the EKS control plane at the standard rate and leaves free resources out", () => {
    const [stack] = estimate(cluster(1)).stacks;
    expect(stack!.resources.find((r) => r.address === "aws_eks_cluster.this")!.monthly).toBe(73);
    expect(stack!.resources.some((r) => r.address.startsWith("aws_iam_role"))).toBe(false);
  });

  it("takes usage from the tier, then cost.yaml's `all`, then the environment's own overrides", () => {
    expect(usageFor("prod", "prod", {}).natDataGb).toBe(DEFAULT_USAGE.prod!.natDataGb);
    const u = usageFor("prod", "prod", { all: { natDataGb: 5 }, prod: { logIngestGb: { controlPlane: 1 } as never } });
    expect(u.natDataGb).toBe(5);
    expect(u.logIngestGb).toEqual({ ...DEFAULT_USAGE.prod!.logIngestGb, controlPlane: 1 });
  });

  it("scales a family's .large price by size, and refuses a type the table lacks", () => {
    expect(instanceHourly(EU_WEST_1, "m6i.xlarge")).toBeCloseTo(2 * EU_WEST_1.ec2OnDemandLarge["m6i.large"]!);
    expect(() => instanceHourly(EU_WEST_1, "m8i.large")).toThrow(/the eu-west-1 price table has no price for m8i\.large/);
  });

  it("refuses a region without a price table, naming the environment file", () => {
    expect(() => priceTableFor("ap-south-2", "qa")).toThrow(ConfigError);
    expect(() => priceTableFor("ap-south-2", "qa")).toThrow(
      /environments\/qa\.yaml: region: no price table for region ap-south-2 \(expected one of: eu-west-1/,
    );
  });

  it("has a dated table whose every figure names its source", () => {
    for (const table of PRICE_TABLES.values()) {
      expect(table.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      for (const [key, value] of Object.entries(table)) {
        if (value && typeof value === "object" && "usd" in value)
          expect(String(value.source), key).toMatch(/^https:\/\/aws\.amazon\.com\//);
      }
      expect(table.ec2Source).toMatch(/^https:\/\//);
    }
  });

  it("shows a change's delta per resource", () => {
    const before = estimate(cluster(3));
    const after = estimate(cluster(4));
    const [d] = deltas({ envs: [after], against: { ref: "main", envs: [before] } });
    expect(d!.resources).toEqual([expect.objectContaining({ stack: "prod-cluster", address: "aws_eks_node_group.general" })]);
    expect(d!.after - d!.before).toBeCloseTo(d!.resources[0]!.after - d!.resources[0]!.before, 2);
    const text = formatCost({ envs: [after], against: { ref: "main", envs: [before] } }, "text");
    expect(text).toMatch(
      /Monthly cost change against main:\n  prod: \$[\d,.]+ → \$[\d,.]+ \(\+\$[\d,.]+, \+\d+\.\d%\)\n    ~ prod-cluster aws_eks_node_group\.general/,
    );
    expect(JSON.parse(formatCost({ envs: [after], against: { ref: "main", envs: [before] } }, "json"))).toMatchObject({
      against: "main",
      delta: [{ env: "prod" }],
    });
    expect(formatCost({ envs: [after] }, "markdown")).toMatch(/\| prod \| eu-west-1 \| \$[\d,.]+ \|/);
  });
});
