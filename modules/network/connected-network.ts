import { Construct } from "constructs";
import { Ec2TransitGatewayVpcAttachment } from "@cdktf/provider-aws/lib/ec2-transit-gateway-vpc-attachment";
import { Route } from "@cdktf/provider-aws/lib/route";

/**
 * A network outside the VPC (the CI network the deploy agents run in) that reaches the private subnets
 * through a peering connection or a transit gateway. Exactly one of `peeringConnectionId` and
 * `transitGatewayId` is given.
 */
export interface ConnectedNetworkProps {
  /** Prefix for `Name` tags, e.g. `shipyard-prod`. */
  readonly name: string;
  /** VPC the CI network is connected to. */
  readonly vpcId: string;
  /** Private subnets, one per zone: the transit gateway attachment's subnets. */
  readonly subnetIds: readonly string[];
  /** Private route tables, one per zone: each gets a route to every CIDR. */
  readonly routeTableIds: readonly string[];
  /** The connected network's CIDRs. */
  readonly cidrs: readonly string[];
  /** An accepted VPC peering connection to route through. @default none */
  readonly peeringConnectionId?: string;
  /** A transit gateway (shared with this account) to attach the VPC to and route through. @default none */
  readonly transitGatewayId?: string;
}

/**
 * Routes from the private route tables to a connected network, and, for a transit gateway, the VPC
 * attachment in the private subnets. The peering connection itself, and the transit gateway's own route
 * tables, belong to whoever runs the connected network.
 */
export class ConnectedNetwork extends Construct {
  /** The transit gateway attachment, when routing through a transit gateway. */
  public readonly attachmentId?: string;

  constructor(scope: Construct, id: string, props: ConnectedNetworkProps) {
    super(scope, id);
    const { peeringConnectionId, transitGatewayId } = props;
    let attachment: Ec2TransitGatewayVpcAttachment | undefined;
    if (transitGatewayId !== undefined) {
      attachment = new Ec2TransitGatewayVpcAttachment(this, "transit-gateway-attachment", {
        transitGatewayId,
        vpcId: props.vpcId,
        subnetIds: [...props.subnetIds],
        dnsSupport: "enable",
        tags: { Name: `${props.name}-ci` },
      });
      this.attachmentId = attachment.id;
    }
    props.routeTableIds.forEach((routeTableId, t) => {
      props.cidrs.forEach((cidr) => {
        // Named by route table and destination, so adding a CIDR moves no existing route.
        new Route(this, `route-${t}-to-${cidr.replace(/[./]/g, "-")}`, {
          routeTableId,
          destinationCidrBlock: cidr,
          vpcPeeringConnectionId: peeringConnectionId,
          transitGatewayId,
          dependsOn: attachment ? [attachment] : undefined,
        });
      });
    });
  }
}
