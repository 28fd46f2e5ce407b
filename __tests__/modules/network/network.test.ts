import { describe, expect, it } from "vitest";
import { Network, type NetworkProps } from "../../../modules/network";
import { ShipyardValidationError } from "../../../modules/core";
import { dataSources, resources, single, synthScope } from "../../support/synth";

const base: NetworkProps = {
  name: "shipyard-test",
  clusterName: "shipyard-test",
  accountId: "123456789012",
  region: "eu-west-1",
  cidr: "10.0.0.0/16",
  availabilityZones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
  publicSubnetCidrs: ["10.0.192.0/20", "10.0.208.0/20", "10.0.224.0/20"],
  privateSubnetCidrs: ["10.0.0.0/18", "10.0.64.0/18", "10.0.128.0/18"],
  flowLogs: { logRetentionDays: 365, kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/abc" },
};

const synth = (props: Partial<NetworkProps> = {}) => synthScope((scope) => new Network(scope, "network", { ...base, ...props }));

describe("Network defaults", () => {
  const json = synth();

  it("creates a VPC with DNS support and hostnames", () => {
    expect(single(json, "aws_vpc")).toMatchObject({ cidr_block: "10.0.0.0/16", enable_dns_support: true, enable_dns_hostnames: true });
  });

  it("strips every rule from the default security group", () => {
    expect(single(json, "aws_default_security_group")).toMatchObject({ ingress: [], egress: [] });
  });

  it("puts one public and one private subnet in each zone, none assigning public IPs", () => {
    const subnets = resources(json, "aws_subnet");
    expect(subnets).toHaveLength(6);
    for (const subnet of subnets) expect(subnet.map_public_ip_on_launch).toBe(false);
    expect(subnets.map((s) => s.availability_zone).sort()).toEqual([
      "eu-west-1a",
      "eu-west-1a",
      "eu-west-1b",
      "eu-west-1b",
      "eu-west-1c",
      "eu-west-1c",
    ]);
  });

  it("tags subnets for load balancers and the cluster", () => {
    const subnets = resources(json, "aws_subnet");
    const publicTags = subnets.filter((s) => (s.tags as Record<string, string>)["kubernetes.io/role/elb"] === "1");
    const privateTags = subnets.filter((s) => (s.tags as Record<string, string>)["kubernetes.io/role/internal-elb"] === "1");
    expect(publicTags.map((s) => s.cidr_block).sort()).toEqual([...base.publicSubnetCidrs].sort());
    expect(privateTags.map((s) => s.cidr_block).sort()).toEqual([...base.privateSubnetCidrs].sort());
    for (const s of subnets) expect((s.tags as Record<string, string>)["kubernetes.io/cluster/shipyard-test"]).toBe("shared");
  });

  it("gives each zone its own NAT gateway and private route table", () => {
    expect(resources(json, "aws_nat_gateway")).toHaveLength(3);
    expect(resources(json, "aws_eip")).toHaveLength(3);
    const natRoutes = resources(json, "aws_route").filter((r) => r.nat_gateway_id);
    expect(new Set(natRoutes.map((r) => r.nat_gateway_id)).size).toBe(3);
    expect(resources(json, "aws_route_table")).toHaveLength(4);
  });

  it("sends flow logs to an encrypted log group with retention, through a role only flow logs of this account can assume", () => {
    expect(single(json, "aws_cloudwatch_log_group")).toMatchObject({
      name: "/aws/vpc/shipyard-test/flow-logs",
      retention_in_days: 365,
      kms_key_id: base.flowLogs.kmsKeyArn,
    });
    expect(single(json, "aws_flow_log")).toMatchObject({
      traffic_type: "ALL",
      log_destination_type: "cloud-watch-logs",
      max_aggregation_interval: 60,
    });
    const trust = dataSources(json, "aws_iam_policy_document").find((d) => JSON.stringify(d).includes("vpc-flow-logs.amazonaws.com"));
    const conditions = JSON.stringify(trust);
    expect(conditions).toContain("aws:SourceAccount");
    expect(conditions).toContain("arn:aws:ec2:eu-west-1:123456789012:vpc-flow-log/*");
  });

  it("creates the S3 gateway endpoint on the private route tables and interface endpoints with private DNS", () => {
    const endpoints = resources(json, "aws_vpc_endpoint");
    const s3 = endpoints.find((e) => e.service_name === "com.amazonaws.eu-west-1.s3");
    expect(s3).toMatchObject({ vpc_endpoint_type: "Gateway" });
    expect(s3!.route_table_ids).toHaveLength(3);
    const interfaces = endpoints.filter((e) => e.vpc_endpoint_type === "Interface");
    expect(interfaces.map((e) => e.service_name).sort()).toEqual(
      ["ecr.api", "ecr.dkr", "logs", "sts"].map((s) => `com.amazonaws.eu-west-1.${s}`),
    );
    for (const e of interfaces) expect(e.private_dns_enabled).toBe(true);
  });

  it("lets only HTTPS from the VPC reach the interface endpoints", () => {
    const group = single(json, "aws_security_group");
    expect(group.ingress).toEqual([
      expect.objectContaining({ from_port: 443, to_port: 443, protocol: "tcp", cidr_blocks: ["10.0.0.0/16"] }),
    ]);
    expect(group.egress).toEqual([]);
  });
});

describe("Network variations", () => {
  it("shares one NAT gateway when asked", () => {
    const json = synth({ natGateways: "single" });
    expect(resources(json, "aws_nat_gateway")).toHaveLength(1);
    const natRoutes = resources(json, "aws_route").filter((r) => r.nat_gateway_id);
    expect(natRoutes).toHaveLength(3);
    expect(new Set(natRoutes.map((r) => r.nat_gateway_id)).size).toBe(1);
  });

  it("creates only the endpoints asked for", () => {
    const json = synth({ endpoints: ["s3"] });
    expect(resources(json, "aws_vpc_endpoint")).toHaveLength(1);
    expect(resources(json, "aws_security_group")).toHaveLength(0);
  });

  it("attaches a permissions boundary to the flow-log role", () => {
    const boundary = "arn:aws:iam::123456789012:policy/shipyard-test-boundary";
    expect(single(synth({ permissionsBoundaryArn: boundary }), "aws_iam_role").permissions_boundary).toBe(boundary);
  });

  it("records only rejected traffic when asked", () => {
    expect(single(synth({ flowLogs: { ...base.flowLogs, trafficType: "REJECT" } }), "aws_flow_log").traffic_type).toBe("REJECT");
  });
});

describe("Network with a connected network (the CI network)", () => {
  it("attaches the private subnets to a transit gateway and routes each CIDR from each private route table", () => {
    const json = synth({ connectedNetwork: { cidrs: ["10.99.0.0/18", "10.98.0.0/24"], transitGatewayId: "tgw-0123456789abcdef0" } });
    const attachment = single(json, "aws_ec2_transit_gateway_vpc_attachment");
    expect(attachment).toMatchObject({ transit_gateway_id: "tgw-0123456789abcdef0", tags: { Name: "shipyard-test-ci" } });
    expect(attachment.subnet_ids).toHaveLength(3);
    const routes = resources(json, "aws_route").filter((r) => r.transit_gateway_id);
    expect(routes).toHaveLength(6);
    expect(new Set(routes.map((r) => r.route_table_id)).size).toBe(3);
  });

  it("routes through an accepted peering connection without attaching anything", () => {
    const json = synth({ connectedNetwork: { cidrs: ["10.99.0.0/18"], peeringConnectionId: "pcx-0123456789abcdef0" } });
    expect(resources(json, "aws_ec2_transit_gateway_vpc_attachment")).toEqual([]);
    const routes = resources(json, "aws_route").filter((r) => r.vpc_peering_connection_id === "pcx-0123456789abcdef0");
    expect(routes.map((r) => r.destination_cidr_block)).toEqual(["10.99.0.0/18", "10.99.0.0/18", "10.99.0.0/18"]);
  });
});

describe("Network refuses", () => {
  it.each([
    [
      "a single zone",
      { availabilityZones: ["eu-west-1a"], publicSubnetCidrs: ["10.0.192.0/20"], privateSubnetCidrs: ["10.0.0.0/18"] },
      /at least 2 zones/,
    ],
    ["a zone listed twice", { availabilityZones: ["eu-west-1a", "eu-west-1a", "eu-west-1c"] }, /lists a zone twice/],
    ["fewer private subnets than zones", { privateSubnetCidrs: ["10.0.0.0/18"] }, /privateSubnetCidrs: expected one CIDR per zone/],
    ["an endpoint listed twice", { endpoints: ["s3", "s3"] as NetworkProps["endpoints"] }, /lists an endpoint twice/],
    [
      "a connected network through peering and a transit gateway at once",
      {
        connectedNetwork: {
          cidrs: ["10.99.0.0/18"],
          peeringConnectionId: "pcx-0123456789abcdef0",
          transitGatewayId: "tgw-0123456789abcdef0",
        },
      },
      /expected one path/,
    ],
    [
      "a connected network of every address",
      { connectedNetwork: { cidrs: ["0.0.0.0/0"], transitGatewayId: "tgw-0123456789abcdef0" } },
      /connectedNetwork.cidrs\[0\]: 0.0.0.0\/0 is every network/,
    ],
  ] as const)("%s", (_name, props, message) => {
    expect(() => synth(props as Partial<NetworkProps>)).toThrowError(ShipyardValidationError);
    expect(() => synth(props as Partial<NetworkProps>)).toThrowError(message);
  });
});
