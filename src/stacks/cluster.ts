import type { Construct } from "constructs";
import { EksCluster, NodeBootstrapAddons, WorkloadAddons } from "../../modules/eks-cluster";
import { NodeGroups, type NodeGroupSpec } from "../../modules/node-groups";
import {
  alertmanagerPermissions,
  clusterAutoscalerPermissions,
  ebsCsiPermissions,
  externalSecretsPermissions,
  loadBalancerControllerPermissions,
  veleroPermissions,
  vpcCniPermissions,
  type AddonPermissions,
} from "../../modules/iam/addon-policies";
import { IRSA_ADDONS, IRSA_SERVICE_ACCOUNTS, type IrsaAddon } from "../../modules/iam/irsa-addons";
import { IrsaRole } from "../../modules/iam/irsa-role";
import { alertsTopicName, backupBucketName, boundaryPolicyArn, roleArn, roleName, secretName } from "../../modules/iam/naming";
import { parseInstanceType } from "../config/instance-families";
import type { EnvironmentConfig } from "../config";
import type { KeyPurpose } from "../../modules/kms";
import type { FoundationOutputs } from "./foundation";
import type { NetworkStack } from "./network";
import { ShipyardStack, type ShipyardStackProps } from "./shipyard-stack";

export interface ClusterStackProps extends ShipyardStackProps {
  /** The customer keys this layer uses: the foundation layer's typed outputs (cross-stack references). */
  readonly foundation: FoundationOutputs;
  readonly network: NetworkStack;
}

/** Names other layers rely on; all deterministic from the environment (modules/iam/naming.ts). */
export function clusterNames(env: EnvironmentConfig) {
  const prefix = env.clusterName;
  return {
    clusterName: prefix,
    nodeRoleName: roleName(prefix, "node"),
    nodeRoleArn: roleArn(env.account, prefix, "node"),
    clusterRoleName: roleName(prefix, "cluster"),
    deployerRoleArn: roleArn(env.account, prefix, "deployer"),
    permissionsBoundaryArn: boundaryPolicyArn(env.account, prefix),
    backupBucketName: backupBucketName(prefix, env.account),
    alertsTopicName: alertsTopicName(prefix),
    /** Secrets Manager names of `secrets.items` (the foundation layer creates `shipyard-<env>/<name>`). */
    secretNames: env.secrets.items.map((item) => secretName(prefix, item.name)),
    irsaRoleName: (addon: IrsaAddon) => roleName(prefix, addon),
  };
}

/**
 * The CI networks that reach the private endpoint through peering or a transit gateway: the control plane
 * accepts 443 from them. Public access is through `publicCidrs`; an agent pool runs inside the VPC.
 */
export function ciPrivateCidrs(env: EnvironmentConfig): readonly string[] {
  const ci = env.cluster.endpoint.ci;
  return ci?.via === "peering" || ci?.via === "transit-gateway" ? ci.cidrs : [];
}

/** The EKS control plane, its access entries and add-ons, node groups and IRSA roles. */
export class ClusterStack extends ShipyardStack {
  public readonly eks: EksCluster;
  public readonly nodeGroups: NodeGroups;
  public readonly clusterName: string;
  public readonly clusterEndpoint: string;
  /** Base64 PEM of the cluster CA. */
  public readonly clusterCaData: string;
  public readonly oidcProviderArn: string;
  /** `https://oidc.eks.<region>.amazonaws.com/id/<id>`. */
  public readonly oidcIssuerUrl: string;
  /** The issuer without `https://`: the prefix of IRSA `:sub`/`:aud` condition keys. */
  public readonly oidcIssuer: string;
  public readonly nodeRoleArn: string;
  /** The EKS-managed cluster security group (control plane and every managed node). */
  public readonly clusterSecurityGroupId: string;
  /** IRSA role ARNs by add-on; the names are `shipyard-<env>-<addon>` too. */
  public readonly irsaRoleArns: Readonly<Record<IrsaAddon, string>>;
  /** The namespace and service account each IRSA role trusts: the add-on modules' own defaults. */
  public readonly irsaServiceAccounts = IRSA_SERVICE_ACCOUNTS;

  private readonly foundation: FoundationOutputs;

  constructor(scope: Construct, props: ClusterStackProps) {
    super(scope, "cluster", props);
    const { env } = props;
    this.foundation = props.foundation;
    const names = clusterNames(env);
    const net = props.network.network;
    const cluster = env.cluster;

    this.eks = new EksCluster(this, "eks", {
      name: names.clusterName,
      version: cluster.version,
      accountId: env.account,
      region: env.region,
      vpcId: net.vpcId,
      vpcCidr: env.network.cidr,
      subnetIds: net.privateSubnetIds,
      endpoint: { public: cluster.endpoint.public, publicCidrs: cluster.endpoint.publicCidrs, privateCidrs: ciPrivateCidrs(env) },
      secretsKmsKeyArn: this.keyArn("cluster-secrets"),
      logsKmsKeyArn: this.keyArn("logs"),
      logRetentionDays: cluster.logRetentionDays,
      permissionsBoundaryArn: names.permissionsBoundaryArn,
      deletionProtection: cluster.deletionProtection,
      access: {
        adminArns: env.access.admins,
        deployerRoleArn: names.deployerRoleArn,
        viewerArns: env.access.viewers,
        viewerGroup: cluster.viewerGroup,
        viewerPolicy: "view",
        namespaceEditors: env.teams.map((team) => ({ team: team.name, namespaces: team.namespaces, principalArns: team.editors })),
      },
    });

    const scopeArgs = { accountId: env.account, region: env.region };
    const permissions: Record<IrsaAddon, AddonPermissions> = {
      "vpc-cni": vpcCniPermissions(),
      "ebs-csi": ebsCsiPermissions({ ebsKmsKeyArn: this.keyArn("ebs") }),
      "aws-load-balancer-controller": loadBalancerControllerPermissions(scopeArgs),
      "cluster-autoscaler": clusterAutoscalerPermissions({ ...scopeArgs, clusterName: names.clusterName }),
      "external-secrets": externalSecretsPermissions({
        ...scopeArgs,
        secretNames: names.secretNames,
        secretsKmsKeyArn: this.keyArn("secrets"),
      }),
      velero: veleroPermissions({
        ...scopeArgs,
        bucketName: names.backupBucketName,
        s3KmsKeyArn: this.keyArn("s3"),
        ebsKmsKeyArn: this.keyArn("ebs"),
      }),
      alertmanager: alertmanagerPermissions({ ...scopeArgs, topicName: names.alertsTopicName, snsKmsKeyArn: this.keyArn("sns") }),
    };
    const roles = {} as Record<IrsaAddon, IrsaRole>;
    for (const addon of IRSA_ADDONS) {
      roles[addon] = new IrsaRole(this, `irsa-${addon}`, {
        roleName: names.irsaRoleName(addon),
        oidcProviderArn: this.eks.oidcProviderArn,
        oidcIssuer: this.eks.oidcIssuer,
        ...IRSA_SERVICE_ACCOUNTS[addon],
        permissionsBoundaryArn: names.permissionsBoundaryArn,
        managedPolicyArns: permissions[addon].managedPolicyArns,
        statements: permissions[addon].statements,
      });
    }

    const bootstrapAddons = new NodeBootstrapAddons(this, "node-addons", {
      clusterName: this.eks.clusterName,
      kubernetesVersion: cluster.version,
      versions: cluster.addons,
      vpcCniRoleArn: roles["vpc-cni"].roleArn,
      vpcCni: { prefixDelegation: true, networkPolicy: true },
    });

    this.nodeGroups = new NodeGroups(this, "node-groups", {
      clusterName: names.clusterName,
      clusterEndpoint: this.eks.endpoint,
      clusterCertificateAuthority: this.eks.certificateAuthorityData,
      serviceCidr: this.eks.serviceCidr,
      nodeRoleName: names.nodeRoleName,
      permissionsBoundaryArn: names.permissionsBoundaryArn,
      subnetIds: net.privateSubnetIds,
      // One group per zone: zone-bound pods (EBS volumes, zone spread) get a node in their zone.
      subnetZones: env.network.availabilityZones,
      ebsKmsKeyArn: this.keyArn("ebs"),
      nodeSettings: cluster.nodeSettings,
      groups: cluster.nodeGroups.map((group): NodeGroupSpec => ({
        name: group.name,
        kind: group.kind,
        instanceTypes: group.instanceTypes,
        // The config rules refuse unknown and mixed-architecture types, so the first type decides.
        architecture: parseInstanceType(group.instanceTypes[0]!)?.architecture ?? "x86_64",
        minSize: group.minSize,
        desiredSize: group.desiredSize,
        maxSize: group.maxSize,
        diskSizeGiB: group.diskSizeGiB,
        diskEncrypted: group.diskEncrypted,
        sshKeyName: group.sshKeyName,
        labels: group.labels,
        taints: group.taints,
        maxUnavailablePercentage: group.maxUnavailablePercentage,
      })),
      dependsOn: bootstrapAddons.dependables,
    });

    new WorkloadAddons(this, "workload-addons", {
      clusterName: this.eks.clusterName,
      versions: cluster.addons,
      ebsCsiRoleArn: roles["ebs-csi"].roleArn,
      nodeGroups: this.nodeGroups.dependables,
    });

    this.clusterName = this.eks.clusterName;
    this.clusterEndpoint = this.eks.endpoint;
    this.clusterCaData = this.eks.certificateAuthorityData;
    this.oidcProviderArn = this.eks.oidcProviderArn;
    this.oidcIssuerUrl = this.eks.oidcIssuerUrl;
    this.oidcIssuer = this.eks.oidcIssuer;
    this.nodeRoleArn = this.nodeGroups.nodeRoleArn;
    this.clusterSecurityGroupId = this.eks.clusterSecurityGroupId;
    this.irsaRoleArns = Object.fromEntries(IRSA_ADDONS.map((addon) => [addon, roles[addon].roleArn])) as Record<IrsaAddon, string>;
  }

  /** A customer key of the foundation layer, by purpose (a cross-stack reference to its output). */
  private keyArn(purpose: KeyPurpose): string {
    return this.foundation.keyArns[purpose];
  }
}
