import { Construct } from "constructs";
import * as ipaddr from "ipaddr.js";
import { Token } from "cdktf";
import { EksCluster as EksClusterResource } from "@cdktf/provider-aws/lib/eks-cluster";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { ShipyardValidationError } from "../core";
import { overlaps } from "../core/cidr";
import { KUBERNETES_MINOR_VERSION } from "./versions";
import { publicEndpointIssues, type EndpointIssue } from "./endpoint-rules";
import { ClusterAccess } from "./access";
import { ClusterRole } from "./cluster-role";
import { ControlPlaneLogs } from "./control-plane-logs";
import { ClusterOidc } from "./oidc";
import { CONTROL_PLANE_LOG_TYPES, DEFAULT_SERVICE_CIDR, type EksClusterProps } from "./props";

/**
 * An EKS control plane with Shipyard's secure defaults: private endpoint always on, public endpoint off
 * unless asked for (and never open to the internet), all five log types into a pre-created encrypted log
 * group, Secrets envelope-encrypted with a customer key, API authentication with access entries and no
 * implicit creator admin, an IRSA OIDC provider, standard support only, deletion protection, and no
 * self-managed add-ons (vpc-cni, kube-proxy and coredns come as EKS managed add-ons).
 */
export class EksCluster extends Construct {
  public readonly cluster: EksClusterResource;
  /** The cluster name as a reference, so dependants wait for the cluster. */
  public readonly clusterName: string;
  public readonly clusterArn: string;
  public readonly endpoint: string;
  /** Base64 PEM of the cluster CA, as EKS returns it. */
  public readonly certificateAuthorityData: string;
  public readonly version: string;
  /** Service CIDR (Kubernetes Services). */
  public readonly serviceCidr: string;
  /** The security group EKS creates and attaches to the control plane and to managed nodes. */
  public readonly clusterSecurityGroupId: string;
  /** Shipyard's extra control-plane group: 443 from the VPC and the listed private networks. */
  public readonly controlPlaneSecurityGroupId: string;
  public readonly roleArn: string;
  public readonly oidcProviderArn: string;
  /** `https://oidc.eks.<region>.amazonaws.com/id/<id>`. */
  public readonly oidcIssuerUrl: string;
  /** The issuer without scheme (prefix of IRSA condition keys). */
  public readonly oidcIssuer: string;
  public readonly logGroupName: string;
  public readonly access: ClusterAccess;

  constructor(scope: Construct, id: string, props: EksClusterProps) {
    super(scope, id);
    validate(props);
    const serviceCidr = props.serviceCidr ?? DEFAULT_SERVICE_CIDR;
    const endpointPublic = props.endpoint?.public ?? false;

    const role = new ClusterRole(this, "role", {
      roleName: `${props.name}-cluster`,
      permissionsBoundaryArn: props.permissionsBoundaryArn,
      secretsKmsKeyArn: props.secretsKmsKeyArn,
    });
    const logs = new ControlPlaneLogs(this, "logs", {
      clusterName: props.name,
      logRetentionDays: props.logRetentionDays,
      kmsKeyArn: props.logsKmsKeyArn,
    });

    const controlPlaneGroup = new SecurityGroup(this, "control-plane-security-group", {
      name: `${props.name}-control-plane`,
      description: `EKS ${props.name}: API server (443) from the VPC and listed private networks`,
      vpcId: props.vpcId,
      tags: { Name: `${props.name}-control-plane` },
    });
    [props.vpcCidr, ...(props.endpoint?.privateCidrs ?? [])].forEach((cidr, i) => {
      new VpcSecurityGroupIngressRule(this, `api-ingress-${i}`, {
        securityGroupId: controlPlaneGroup.id,
        description: i === 0 ? "Kubernetes API from the VPC" : "Kubernetes API from a listed private network",
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        cidrIpv4: cidr,
      });
    });

    this.cluster = new EksClusterResource(this, "cluster", {
      name: props.name,
      version: props.version,
      roleArn: role.roleArn,
      vpcConfig: {
        subnetIds: [...props.subnetIds],
        securityGroupIds: [controlPlaneGroup.id],
        endpointPrivateAccess: true,
        endpointPublicAccess: endpointPublic,
        publicAccessCidrs: endpointPublic ? [...(props.endpoint?.publicCidrs ?? [])] : undefined,
      },
      kubernetesNetworkConfig: { ipFamily: "ipv4", serviceIpv4Cidr: serviceCidr },
      enabledClusterLogTypes: [...CONTROL_PLANE_LOG_TYPES],
      encryptionConfig: { resources: ["secrets"], provider: { keyArn: props.secretsKmsKeyArn } },
      accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false },
      bootstrapSelfManagedAddons: false,
      upgradePolicy: { supportType: "STANDARD" },
      deletionProtection: props.deletionProtection ?? true,
      // The log group must exist first (retention and key), and the role must hold its policies.
      dependsOn: [logs.logGroup, ...role.attachments],
    });

    const oidc = new ClusterOidc(this, "oidc", { issuerUrl: this.cluster.identity.get(0).oidc.get(0).issuer });

    this.access = new ClusterAccess(this, "access", { ...props.access, clusterName: this.cluster.name });

    this.clusterName = this.cluster.name;
    this.clusterArn = this.cluster.arn;
    this.endpoint = this.cluster.endpoint;
    this.certificateAuthorityData = this.cluster.certificateAuthority.get(0).data;
    this.version = this.cluster.version;
    this.serviceCidr = serviceCidr;
    this.clusterSecurityGroupId = this.cluster.vpcConfig.clusterSecurityGroupId;
    this.controlPlaneSecurityGroupId = controlPlaneGroup.id;
    this.roleArn = role.roleArn;
    this.oidcProviderArn = oidc.providerArn;
    this.oidcIssuerUrl = oidc.issuerUrl;
    this.oidcIssuer = oidc.issuer;
    this.logGroupName = logs.logGroupName;
  }
}

function validate(props: EksClusterProps): void {
  if (!/^[a-zA-Z][a-zA-Z0-9-]{0,99}$/.test(props.name)) {
    throw new ShipyardValidationError(
      "name",
      `"${props.name}" is not a valid EKS cluster name (expected a letter, then up to 99 letters, digits or '-')`,
    );
  }
  if (!KUBERNETES_MINOR_VERSION.test(props.version)) {
    throw new ShipyardValidationError("version", `"${props.version}" is not a Kubernetes minor version (expected e.g. 1.36)`);
  }
  if (props.subnetIds.length < 2) {
    throw new ShipyardValidationError("subnetIds", `EKS needs subnets in at least 2 zones, got ${props.subnetIds.length}`);
  }
  const publicCidrs = props.endpoint?.publicCidrs ?? [];
  const issues = publicEndpointIssues({ public: props.endpoint?.public, publicCidrs });
  const refuse = (issue: EndpointIssue): never => {
    const [key, index] = issue.key;
    throw new ShipyardValidationError(`endpoint.${key}${index === undefined ? "" : `[${index}]`}`, issue.problem);
  };
  const open = (cidr: string) => (Token.isUnresolved(cidr) ? false : /\/0$/.test(cidr.trim()));
  publicCidrs.forEach((cidr, i) => {
    const issue = issues.find((it) => it.key[1] === i);
    if (issue) refuse(issue);
    checkCidr(cidr, `endpoint.publicCidrs[${i}]`);
  });
  (props.endpoint?.privateCidrs ?? []).forEach((cidr, i) => {
    if (open(cidr))
      throw new ShipyardValidationError(`endpoint.privateCidrs[${i}]`, `${cidr} is every network (expected specific private networks)`);
    checkCidr(cidr, `endpoint.privateCidrs[${i}]`);
  });
  issues.forEach(refuse);
  const serviceCidr = props.serviceCidr ?? DEFAULT_SERVICE_CIDR;
  checkCidr(serviceCidr, "serviceCidr");
  if (!Token.isUnresolved(props.vpcCidr) && overlaps(serviceCidr, props.vpcCidr)) {
    throw new ShipyardValidationError("serviceCidr", `${serviceCidr} overlaps the VPC CIDR ${props.vpcCidr} (expected a separate range)`);
  }
  if (!Number.isInteger(props.logRetentionDays) || props.logRetentionDays <= 0) {
    throw new ShipyardValidationError("logRetentionDays", `expected a positive number of days, got ${props.logRetentionDays}`);
  }
}

function checkCidr(cidr: string, path: string): void {
  if (Token.isUnresolved(cidr)) return;
  try {
    ipaddr.IPv4.parseCIDR(cidr);
  } catch {
    throw new ShipyardValidationError(path, `"${cidr}" is not an IPv4 CIDR (expected e.g. 203.0.113.0/24)`);
  }
}
