import { Construct } from "constructs";
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { Eip } from "@cdktf/provider-aws/lib/eip";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { NatGateway } from "@cdktf/provider-aws/lib/nat-gateway";
import { Route } from "@cdktf/provider-aws/lib/route";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { ShipyardValidationError } from "../core";
import { ConnectedNetwork } from "./connected-network";
import { VpcEndpoints } from "./endpoints";
import { VpcFlowLogs } from "./flow-logs";
import { DEFAULT_ENDPOINTS, type NetworkProps } from "./props";

/**
 * The VPC an EKS cluster lives in: public subnets for load balancers and NAT, private subnets for
 * nodes and pods, NAT per zone or single, a default security group with no rules, flow logs to an
 * encrypted log group, and VPC endpoints for the services nodes call most.
 */
export class Network extends Construct {
  public readonly vpcId: string;
  public readonly vpcCidr: string;
  /** In zone order. */
  public readonly publicSubnetIds: string[];
  /** In zone order. */
  public readonly privateSubnetIds: string[];
  /** One per zone, in zone order. */
  public readonly privateRouteTableIds: string[];
  public readonly natGatewayIds: string[];
  public readonly endpointSecurityGroupId?: string;
  public readonly flowLogGroupName: string;

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    validate(props);
    const zones = props.availabilityZones;
    const clusterTag = { [`kubernetes.io/cluster/${props.clusterName}`]: "shared" };

    const vpc = new Vpc(this, "vpc", {
      cidrBlock: props.cidr,
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: { Name: props.name },
    });
    // Adopt the default security group and strip its rules, so nothing attached to it by accident talks.
    new DefaultSecurityGroup(this, "default-security-group", {
      vpcId: vpc.id,
      ingress: [],
      egress: [],
      tags: { Name: `${props.name}-default-deny` },
    });
    const igw = new InternetGateway(this, "internet-gateway", { vpcId: vpc.id, tags: { Name: props.name } });

    const publicSubnets = zones.map(
      (zone, i) =>
        new Subnet(this, `public-${zone}`, {
          vpcId: vpc.id,
          availabilityZone: zone,
          cidrBlock: props.publicSubnetCidrs[i]!,
          // Load balancers and NAT gateways get their addresses explicitly; nothing else belongs here.
          mapPublicIpOnLaunch: false,
          tags: { Name: `${props.name}-public-${zone}`, "kubernetes.io/role/elb": "1", ...clusterTag },
        }),
    );
    const privateSubnets = zones.map(
      (zone, i) =>
        new Subnet(this, `private-${zone}`, {
          vpcId: vpc.id,
          availabilityZone: zone,
          cidrBlock: props.privateSubnetCidrs[i]!,
          mapPublicIpOnLaunch: false,
          tags: { Name: `${props.name}-private-${zone}`, "kubernetes.io/role/internal-elb": "1", ...clusterTag },
        }),
    );

    const publicRoutes = new RouteTable(this, "public-routes", { vpcId: vpc.id, tags: { Name: `${props.name}-public` } });
    new Route(this, "public-default-route", { routeTableId: publicRoutes.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: igw.id });
    publicSubnets.forEach((subnet, i) => {
      new RouteTableAssociation(this, `public-${zones[i]}-routes`, { subnetId: subnet.id, routeTableId: publicRoutes.id });
    });

    const natCount = (props.natGateways ?? "per-az") === "per-az" ? zones.length : 1;
    const natGateways = zones.slice(0, natCount).map((zone, i) => {
      const eip = new Eip(this, `nat-${zone}-address`, { domain: "vpc", tags: { Name: `${props.name}-nat-${zone}` } });
      return new NatGateway(this, `nat-${zone}`, {
        allocationId: eip.id,
        subnetId: publicSubnets[i]!.id,
        connectivityType: "public",
        tags: { Name: `${props.name}-nat-${zone}` },
        dependsOn: [igw],
      });
    });

    const privateRouteTables = zones.map((zone, i) => {
      const table = new RouteTable(this, `private-${zone}-routes`, { vpcId: vpc.id, tags: { Name: `${props.name}-private-${zone}` } });
      new Route(this, `private-${zone}-default-route`, {
        routeTableId: table.id,
        destinationCidrBlock: "0.0.0.0/0",
        natGatewayId: natGateways[i % natGateways.length]!.id,
      });
      new RouteTableAssociation(this, `private-${zone}-association`, { subnetId: privateSubnets[i]!.id, routeTableId: table.id });
      return table;
    });

    const flowLogs = new VpcFlowLogs(this, "flow-logs", {
      name: props.name,
      vpcId: vpc.id,
      accountId: props.accountId,
      region: props.region,
      logRetentionDays: props.flowLogs.logRetentionDays,
      kmsKeyArn: props.flowLogs.kmsKeyArn,
      trafficType: props.flowLogs.trafficType,
      permissionsBoundaryArn: props.permissionsBoundaryArn,
    });

    const endpoints = new VpcEndpoints(this, "endpoints", {
      name: props.name,
      region: props.region,
      vpcId: vpc.id,
      vpcCidr: props.cidr,
      services: props.endpoints ?? DEFAULT_ENDPOINTS,
      subnetIds: privateSubnets.map((s) => s.id),
      routeTableIds: privateRouteTables.map((t) => t.id),
    });

    const connected = props.connectedNetwork;
    if (connected && (connected.peeringConnectionId !== undefined || connected.transitGatewayId !== undefined)) {
      new ConnectedNetwork(this, "connected-network", {
        name: props.name,
        vpcId: vpc.id,
        subnetIds: privateSubnets.map((s) => s.id),
        routeTableIds: privateRouteTables.map((t) => t.id),
        cidrs: connected.cidrs,
        peeringConnectionId: connected.peeringConnectionId,
        transitGatewayId: connected.transitGatewayId,
      });
    }

    this.vpcId = vpc.id;
    this.vpcCidr = vpc.cidrBlock;
    this.publicSubnetIds = publicSubnets.map((s) => s.id);
    this.privateSubnetIds = privateSubnets.map((s) => s.id);
    this.privateRouteTableIds = privateRouteTables.map((t) => t.id);
    this.natGatewayIds = natGateways.map((n) => n.id);
    this.endpointSecurityGroupId = endpoints.securityGroupId;
    this.flowLogGroupName = flowLogs.logGroupName;
  }
}

function validate(props: NetworkProps): void {
  const zones = props.availabilityZones.length;
  if (zones < 2) throw new ShipyardValidationError("availabilityZones", `EKS needs subnets in at least 2 zones, got ${zones}`);
  if (new Set(props.availabilityZones).size !== zones) throw new ShipyardValidationError("availabilityZones", "lists a zone twice");
  for (const key of ["publicSubnetCidrs", "privateSubnetCidrs"] as const) {
    if (props[key].length !== zones) {
      throw new ShipyardValidationError(key, `expected one CIDR per zone (${zones}), got ${props[key].length}`);
    }
  }
  const connected = props.connectedNetwork;
  if (connected) {
    if (connected.peeringConnectionId !== undefined && connected.transitGatewayId !== undefined) {
      throw new ShipyardValidationError("connectedNetwork", "names both a peering connection and a transit gateway (expected one path)");
    }
    if (connected.cidrs.length === 0)
      throw new ShipyardValidationError("connectedNetwork.cidrs", "is empty (expected the connected network's CIDRs)");
    connected.cidrs.forEach((cidr, i) => {
      if (/\/0$/.test(cidr))
        throw new ShipyardValidationError(
          `connectedNetwork.cidrs[${i}]`,
          `${cidr} is every network (expected the connected network's CIDRs)`,
        );
    });
  }
  if (props.endpoints && new Set(props.endpoints).size !== props.endpoints.length) {
    throw new ShipyardValidationError("endpoints", "lists an endpoint twice");
  }
}
