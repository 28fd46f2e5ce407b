/** Interface endpoints the module knows how to create (`com.amazonaws.<region>.<service>`). */
export type InterfaceEndpointService =
  | "ecr.api"
  | "ecr.dkr"
  | "sts"
  | "logs"
  | "ec2"
  | "elasticloadbalancing"
  | "ssm"
  | "ssmmessages"
  | "ec2messages"
  | "autoscaling"
  | "eks"
  | "eks-auth"
  | "secretsmanager"
  | "kms";

export type EndpointService = "s3" | InterfaceEndpointService;

export interface NetworkProps {
  /** Prefix for `Name` tags and resource names, e.g. `shipyard-prod`. */
  readonly name: string;
  /** EKS cluster whose load balancers and nodes use these subnets (`kubernetes.io/cluster/<name>` tags). */
  readonly clusterName: string;
  /** Account that owns the VPC; scopes the flow-log role's trust policy. */
  readonly accountId: string;
  /** Region of the VPC; names the endpoint services. */
  readonly region: string;
  /** VPC CIDR. */
  readonly cidr: string;
  /** One zone per entry; subnets are created in the same order. */
  readonly availabilityZones: readonly string[];
  /** One public subnet CIDR per zone (load balancers and NAT gateways only). */
  readonly publicSubnetCidrs: readonly string[];
  /** One private subnet CIDR per zone (nodes, pods, endpoints). */
  readonly privateSubnetCidrs: readonly string[];
  /**
   * `per-az` keeps each zone's egress independent of the others; `single` is cheaper and suits dev.
   * @default "per-az"
   */
  readonly natGateways?: "single" | "per-az";
  /**
   * VPC endpoints: `s3` as a gateway endpoint on the private route tables, the rest as interface
   * endpoints with private DNS in the private subnets.
   * @default ["s3", "ecr.api", "ecr.dkr", "sts", "logs"]
   */
  readonly endpoints?: readonly EndpointService[];
  /** VPC flow logs into an encrypted log group. */
  readonly flowLogs: {
    /** CloudWatch Logs retention of the flow-log group. */
    readonly logRetentionDays: number;
    /** Customer key that encrypts the flow-log group; its policy must allow CloudWatch Logs. */
    readonly kmsKeyArn: string;
    /** @default "ALL" */
    readonly trafficType?: "ALL" | "ACCEPT" | "REJECT";
  };
  /**
   * A network outside the VPC that reaches the private subnets (the CI network the deploy agents run in):
   * its CIDRs, routed through a peering connection or a transit gateway (then attached to the private
   * subnets). Without a connection id nothing is created: the path is someone else's to build.
   * @default none
   */
  readonly connectedNetwork?: {
    /** CIDRs of the CI network, routed from every private route table. */
    readonly cidrs: readonly string[];
    /** Existing VPC peering connection to route through. @default none */
    readonly peeringConnectionId?: string;
    /** Existing transit gateway to attach the private subnets to and route through. @default none */
    readonly transitGatewayId?: string;
  };
  /** Permissions boundary attached to the flow-log role. @default none */
  readonly permissionsBoundaryArn?: string;
}

export const DEFAULT_ENDPOINTS: readonly EndpointService[] = ["s3", "ecr.api", "ecr.dkr", "sts", "logs"];
