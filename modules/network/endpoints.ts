import { Construct } from "constructs";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import type { EndpointService } from "./props";

export interface VpcEndpointsProps {
  /** Name prefix, `shipyard-<env>`, of the endpoints' `Name` tags and security group. */
  readonly name: string;
  /** AWS region of the endpoint services (`com.amazonaws.<region>.<service>`). */
  readonly region: string;
  /** VPC the endpoints are created in. */
  readonly vpcId: string;
  /** VPC CIDR: the only network the interface endpoints accept HTTPS from. */
  readonly vpcCidr: string;
  /** Services to reach privately: `s3` as a gateway endpoint, the rest as interface endpoints. */
  readonly services: readonly EndpointService[];
  /** Subnets that hold the interface endpoints' network interfaces. */
  readonly subnetIds: readonly string[];
  /** Route tables the S3 gateway endpoint is added to. */
  readonly routeTableIds: readonly string[];
}

/**
 * Keeps image pulls, STS and logging traffic inside the VPC: cheaper than NAT and reachable when
 * egress is down. Interface endpoints accept HTTPS from the VPC only.
 */
export class VpcEndpoints extends Construct {
  /** Security group of the interface endpoints; undefined when only the S3 gateway endpoint exists. */
  public readonly securityGroupId?: string;
  /** Endpoint ids by service name. */
  public readonly endpointIds: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: VpcEndpointsProps) {
    super(scope, id);
    const ids: Record<string, string> = {};
    const interfaceServices = props.services.filter((s) => s !== "s3");
    if (props.services.includes("s3")) {
      ids.s3 = new VpcEndpoint(this, "s3", {
        vpcId: props.vpcId,
        serviceName: `com.amazonaws.${props.region}.s3`,
        vpcEndpointType: "Gateway",
        routeTableIds: [...props.routeTableIds],
        tags: { Name: `${props.name}-s3` },
      }).id;
    }
    if (interfaceServices.length > 0) {
      const group = new SecurityGroup(this, "security-group", {
        name: `${props.name}-vpc-endpoints`,
        description: "HTTPS from the VPC to the interface endpoints",
        vpcId: props.vpcId,
        ingress: [{ description: "HTTPS from the VPC", protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: [props.vpcCidr] }],
        // Endpoints only answer; an empty list removes the default allow-all egress rule.
        egress: [],
        tags: { Name: `${props.name}-vpc-endpoints` },
      });
      this.securityGroupId = group.id;
      for (const service of interfaceServices) {
        ids[service] = new VpcEndpoint(this, service.replace(/\./g, "-"), {
          vpcId: props.vpcId,
          serviceName: `com.amazonaws.${props.region}.${service}`,
          vpcEndpointType: "Interface",
          privateDnsEnabled: true,
          subnetIds: [...props.subnetIds],
          securityGroupIds: [group.id],
          tags: { Name: `${props.name}-${service}` },
        }).id;
      }
    }
    this.endpointIds = ids;
  }
}
