import type { Construct } from "constructs";
import { boundaryPolicyArn } from "../../modules/iam/naming";
import { Network, type NetworkProps } from "../../modules/network";
import type { EnvironmentConfig } from "../config";
import type { FoundationOutputs } from "./foundation";
import { ShipyardStack, type ShipyardStackProps } from "./shipyard-stack";

export interface NetworkStackProps extends ShipyardStackProps {
  /** The foundation layer's logs key encrypts the flow logs. */
  readonly foundation: FoundationOutputs;
}

/** The VPC, subnets, NAT, endpoints and flow logs of one environment. */
export class NetworkStack extends ShipyardStack {
  public readonly network: Network;

  constructor(scope: Construct, props: NetworkStackProps) {
    super(scope, "network", props);
    const { env } = props;
    this.network = new Network(this, "network", {
      name: this.resourceName(),
      clusterName: env.clusterName,
      accountId: env.account,
      region: env.region,
      cidr: env.network.cidr,
      availabilityZones: env.network.availabilityZones,
      publicSubnetCidrs: env.network.publicSubnets,
      privateSubnetCidrs: env.network.privateSubnets,
      natGateways: env.network.natGateways,
      endpoints: env.network.endpoints,
      flowLogs: {
        logRetentionDays: env.network.flowLogs.retentionDays,
        trafficType: env.network.flowLogs.trafficType,
        kmsKeyArn: props.foundation.keyArns.logs,
      },
      connectedNetwork: connectedNetwork(env),
      permissionsBoundaryArn: boundaryPolicyArn(env.account, env.clusterName),
    });
  }
}

/** The CI network that reaches the private API endpoint through peering or a transit gateway, if any. */
function connectedNetwork(env: EnvironmentConfig): NetworkProps["connectedNetwork"] {
  const ci = env.cluster.endpoint.ci;
  if (ci?.via === "peering") return { cidrs: ci.cidrs, peeringConnectionId: ci.peeringConnectionId };
  if (ci?.via === "transit-gateway") return { cidrs: ci.cidrs, transitGatewayId: ci.transitGatewayId };
  return undefined;
}
