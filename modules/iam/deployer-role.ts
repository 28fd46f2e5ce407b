import { Construct } from "constructs";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { ShipyardValidationError } from "../core";
import { roleName } from "./naming";
import { type PolicyStatement, validatePrincipalArns } from "./policy";

/** AWS managed policies the deployer may attach to Shipyard roles (cluster, node, add-on roles). */
export const DEFAULT_ATTACHABLE_MANAGED_POLICIES: readonly string[] = [
  "AmazonEKSClusterPolicy",
  "AmazonEKSVPCResourceController",
  "AmazonEKSWorkerNodePolicy",
  "AmazonEKS_CNI_Policy",
  "AmazonEC2ContainerRegistryPullOnly",
  "AmazonEC2ContainerRegistryReadOnly",
  "AmazonSSMManagedInstanceCore",
  "service-role/AmazonEBSCSIDriverPolicy",
];

/** Services the deployer may pass Shipyard roles to. */
export const PASS_ROLE_SERVICES: readonly string[] = [
  "eks.amazonaws.com",
  "pods.eks.amazonaws.com",
  "vpc-flow-logs.amazonaws.com",
  "cloudtrail.amazonaws.com",
];

/** Service-linked roles the deployer may create (first cluster, node group, load balancer in an account). */
export const SERVICE_LINKED_ROLE_SERVICES: readonly string[] = [
  "eks.amazonaws.com",
  "eks-nodegroup.amazonaws.com",
  "autoscaling.amazonaws.com",
  "elasticloadbalancing.amazonaws.com",
  "spot.amazonaws.com",
];

export interface DeployerRoleProps {
  /** Name prefix, `shipyard-<env>`: the role is `<name>-deployer`, its policies `<name>-deployer-<part>`. */
  readonly name: string;
  /** AWS account id (12 digits) of the environment. */
  readonly accountId: string;
  /** AWS region of the environment. */
  readonly region: string;
  /** @default "aws" */
  readonly partition?: string;
  /** The Jenkins agent role (or user) that assumes the deployer role. */
  readonly trustedPrincipalArn: string;
  /** `sts:ExternalId` the trusted principal must present. @default none */
  readonly externalId?: string;
  /** The permissions boundary the deployer carries and must attach to every role it creates. */
  readonly permissionsBoundaryArn: string;
  /** ECR repository names the deployer manages and pushes to. */
  readonly repositoryNames: readonly string[];
  /** Terraform state in S3: the deployer reads and writes `<bucket>/<keyPrefix>/*`. @default none (local or Terraform Cloud state) */
  readonly stateBucket?: { readonly bucket: string; readonly keyPrefix: string; readonly kmsKeyArn?: string };
  /** AWS managed policies (name after `arn:aws:iam::aws:policy/`) the deployer may attach. @default DEFAULT_ATTACHABLE_MANAGED_POLICIES */
  readonly attachableManagedPolicies?: readonly string[];
  /** Session length in seconds (3600-43200); a prod cluster with node groups can take over an hour. @default 7200 */
  readonly maxSessionDurationSeconds?: number;
}

/**
 * The role Jenkins assumes to deploy one environment (`shipyard-<env>-deployer`). Its policies allow
 * what deploying Shipyard needs and little else: resources named `shipyard-<env>-*` wherever IAM can
 * scope by name (IAM, S3, CloudTrail, logs, SNS, Secrets Manager, EKS), the configured ECR repositories,
 * and account+region ARNs where AWS names by id (EC2). Roles can only be created with the boundary
 * attached; the boundary (which the deployer itself carries) forbids changing the boundary or this role.
 * Changing the boundary or the deployer therefore needs an administrator, by design.
 */
export class DeployerRole extends Construct {
  public readonly roleArn: string;
  public readonly roleName: string;
  /** Managed policy ARNs by part (`foundation`, `network`, `cluster`, `iam`). */
  public readonly policyArns: Readonly<Record<string, string>>;
  /** Statements by part, for tests and reviews. */
  public readonly statements: Readonly<Record<string, readonly PolicyStatement[]>>;

  constructor(scope: Construct, id: string, props: DeployerRoleProps) {
    super(scope, id);
    validatePrincipalArns("trustedPrincipalArn", [props.trustedPrincipalArn]);
    const session = props.maxSessionDurationSeconds ?? 7200;
    if (!Number.isInteger(session) || session < 3600 || session > 43200) {
      throw new ShipyardValidationError("maxSessionDurationSeconds", `expected 3600-43200 seconds, got ${session}`);
    }
    if (props.externalId !== undefined && !/^[\w+=,.@:/-]{2,1224}$/.test(props.externalId)) {
      throw new ShipyardValidationError("externalId", "expected 2-1224 characters: letters, digits and +=,.@:/-");
    }
    const name = roleName(props.name, "deployer");
    const trust = new DataAwsIamPolicyDocument(this, "trust", {
      statement: [
        {
          sid: "Jenkins",
          effect: "Allow",
          actions: ["sts:AssumeRole"],
          principals: [{ type: "AWS", identifiers: [props.trustedPrincipalArn] }],
          condition: props.externalId ? [{ test: "StringEquals", variable: "sts:ExternalId", values: [props.externalId] }] : undefined,
        },
      ],
    });
    const role = new IamRole(this, "role", {
      name,
      description: `Jenkins deploys ${props.name} with this role`,
      assumeRolePolicy: trust.json,
      permissionsBoundary: props.permissionsBoundaryArn,
      maxSessionDuration: session,
      tags: { Name: name },
    });
    this.statements = deployerStatements(props);
    const arns: Record<string, string> = {};
    for (const [part, statements] of Object.entries(this.statements)) {
      const document = new DataAwsIamPolicyDocument(this, `${part}-document`, { statement: [...statements] });
      const policy = new IamPolicy(this, `${part}-policy`, {
        name: `${name}-${part}`,
        description: `${name}: deploy the ${part} resources`,
        policy: document.json,
        tags: { Name: `${name}-${part}` },
      });
      new IamRolePolicyAttachment(this, `${part}-attachment`, { role: role.name, policyArn: policy.arn });
      arns[part] = policy.arn;
    }
    this.roleArn = role.arn;
    this.roleName = role.name;
    this.policyArns = arns;
  }
}

/** The deployer's statements by managed policy (each stays under IAM's 6,144-character limit). */
export function deployerStatements(props: DeployerRoleProps): Record<string, PolicyStatement[]> {
  const p = props.partition ?? "aws";
  const { accountId: acct, region, name } = props;
  const arn = (service: string, resource: string, r = region) => `arn:${p}:${service}:${r}:${acct}:${resource}`;
  const iamArn = (resource: string) => `arn:${p}:iam::${acct}:${resource}`;
  const inRegion = { test: "StringEquals", variable: "aws:RequestedRegion", values: [region] };
  const envTag = { test: "StringEquals", variable: "aws:RequestTag/shipyard:environment", values: [name.replace(/^shipyard-/, "")] };
  const boundary = { test: "StringEquals", variable: "iam:PermissionsBoundary", values: [props.permissionsBoundaryArn] };
  const repositories = props.repositoryNames.map((r) => arn("ecr", `repository/${r}`));
  const managed = (props.attachableManagedPolicies ?? DEFAULT_ATTACHABLE_MANAGED_POLICIES).map((m) => `arn:${p}:iam::aws:policy/${m}`);

  const foundation: PolicyStatement[] = [
    { sid: "KmsCreate", effect: "Allow", actions: ["kms:CreateKey"], resources: ["*"], condition: [inRegion, envTag] },
    { sid: "KmsTagOnCreate", effect: "Allow", actions: ["kms:TagResource"], resources: [arn("kms", "key/*")], condition: [envTag] },
    { sid: "KmsList", effect: "Allow", actions: ["kms:ListAliases", "kms:ListKeys"], resources: ["*"] },
    {
      sid: "KmsAliases",
      effect: "Allow",
      actions: ["kms:CreateAlias", "kms:DeleteAlias", "kms:UpdateAlias"],
      resources: [arn("kms", `alias/${name}-*`), arn("kms", "key/*")],
    },
    {
      sid: "Buckets",
      effect: "Allow",
      actions: [
        "s3:CreateBucket",
        "s3:DeleteBucket",
        "s3:ListBucket",
        "s3:GetBucket*",
        "s3:GetAccelerateConfiguration",
        "s3:GetEncryptionConfiguration",
        "s3:GetLifecycleConfiguration",
        "s3:GetReplicationConfiguration",
        "s3:PutBucketOwnershipControls",
        "s3:PutBucketPolicy",
        "s3:DeleteBucketPolicy",
        "s3:PutBucketPublicAccessBlock",
        "s3:PutBucketTagging",
        "s3:PutBucketVersioning",
        "s3:PutEncryptionConfiguration",
        "s3:PutLifecycleConfiguration",
      ],
      resources: [`arn:${p}:s3:::${name}-*`],
    },
    {
      sid: "Trail",
      effect: "Allow",
      actions: [
        "cloudtrail:CreateTrail",
        "cloudtrail:DeleteTrail",
        "cloudtrail:UpdateTrail",
        "cloudtrail:StartLogging",
        "cloudtrail:StopLogging",
        "cloudtrail:GetTrail",
        "cloudtrail:GetTrailStatus",
        "cloudtrail:GetEventSelectors",
        "cloudtrail:PutEventSelectors",
        "cloudtrail:GetInsightSelectors",
        "cloudtrail:AddTags",
        "cloudtrail:RemoveTags",
        "cloudtrail:ListTags",
      ],
      resources: [arn("cloudtrail", `trail/${name}`), arn("cloudtrail", `trail/${name}-*`)],
    },
    { sid: "ReadOnlyListings", effect: "Allow", actions: ["cloudtrail:DescribeTrails", "logs:DescribeLogGroups", "ecr:GetAuthorizationToken"], resources: ["*"] },
    {
      sid: "LogGroups",
      effect: "Allow",
      actions: [
        "logs:CreateLogGroup",
        "logs:DeleteLogGroup",
        "logs:PutRetentionPolicy",
        "logs:DeleteRetentionPolicy",
        "logs:AssociateKmsKey",
        "logs:DisassociateKmsKey",
        "logs:TagResource",
        "logs:UntagResource",
        "logs:ListTagsForResource",
        "logs:TagLogGroup",
        "logs:UntagLogGroup",
        "logs:ListTagsLogGroup",
      ],
      resources: [arn("logs", `log-group:/aws/*/${name}/*`)],
    },
    ...(repositories.length > 0
      ? [
          {
            sid: "Repositories",
            effect: "Allow" as const,
            actions: [
              "ecr:CreateRepository",
              "ecr:DeleteRepository",
              "ecr:DescribeRepositories",
              "ecr:DescribeImages",
              "ecr:ListImages",
              "ecr:PutImageTagMutability",
              "ecr:PutImageScanningConfiguration",
              "ecr:GetLifecyclePolicy",
              "ecr:PutLifecyclePolicy",
              "ecr:DeleteLifecyclePolicy",
              "ecr:GetRepositoryPolicy",
              "ecr:SetRepositoryPolicy",
              "ecr:DeleteRepositoryPolicy",
              "ecr:TagResource",
              "ecr:UntagResource",
              "ecr:ListTagsForResource",
              "ecr:BatchCheckLayerAvailability",
              "ecr:BatchGetImage",
              "ecr:GetDownloadUrlForLayer",
              "ecr:InitiateLayerUpload",
              "ecr:UploadLayerPart",
              "ecr:CompleteLayerUpload",
              "ecr:PutImage",
            ],
            resources: repositories,
          },
        ]
      : []),
    {
      sid: "SecretsMetadata",
      effect: "Allow",
      actions: [
        "secretsmanager:CreateSecret",
        "secretsmanager:DeleteSecret",
        "secretsmanager:RestoreSecret",
        "secretsmanager:DescribeSecret",
        "secretsmanager:UpdateSecret",
        "secretsmanager:TagResource",
        "secretsmanager:UntagResource",
        "secretsmanager:GetResourcePolicy",
        "secretsmanager:PutResourcePolicy",
        "secretsmanager:DeleteResourcePolicy",
        "secretsmanager:ValidateResourcePolicy",
      ],
      resources: [arn("secretsmanager", `secret:${name}/*`)],
    },
    {
      sid: "Topics",
      effect: "Allow",
      actions: [
        "sns:CreateTopic",
        "sns:DeleteTopic",
        "sns:GetTopicAttributes",
        "sns:SetTopicAttributes",
        "sns:TagResource",
        "sns:UntagResource",
        "sns:ListTagsForResource",
      ],
      resources: [arn("sns", `${name}-*`)],
    },
  ];
  if (props.stateBucket) {
    const { bucket, keyPrefix, kmsKeyArn } = props.stateBucket;
    const prefix = keyPrefix.replace(/^\/+|\/+$/g, "");
    foundation.push(
      {
        sid: "StateList",
        effect: "Allow",
        actions: ["s3:ListBucket"],
        resources: [`arn:${p}:s3:::${bucket}`],
        condition: prefix ? [{ test: "StringLike", variable: "s3:prefix", values: [`${prefix}/*`] }] : undefined,
      },
      {
        sid: "StateObjects",
        effect: "Allow",
        actions: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
        resources: [`arn:${p}:s3:::${bucket}/${prefix ? `${prefix}/` : ""}*`],
      },
      ...(kmsKeyArn
        ? [{ sid: "StateKey", effect: "Allow" as const, actions: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"], resources: [kmsKeyArn] }]
        : []),
    );
  }

  const network: PolicyStatement[] = [
    {
      sid: "Ec2Read",
      effect: "Allow",
      // What Terraform reads for the network and cluster layers; these Describe calls support no resource scoping.
      actions: [
        "ec2:DescribeAccountAttributes",
        "ec2:DescribeAvailabilityZones",
        "ec2:DescribeRegions",
        "ec2:DescribeVpcs",
        "ec2:DescribeVpcEndpoints",
        "ec2:DescribeVpcEndpointServices",
        "ec2:DescribeSubnets",
        "ec2:DescribeInternetGateways",
        "ec2:DescribeAddresses",
        "ec2:DescribeAddressesAttribute",
        "ec2:DescribeNatGateways",
        "ec2:DescribeRouteTables",
        "ec2:DescribeNetworkAcls",
        "ec2:DescribeNetworkInterfaces",
        "ec2:DescribeSecurityGroups",
        "ec2:DescribeSecurityGroupRules",
        "ec2:DescribePrefixLists",
        "ec2:DescribeManagedPrefixLists",
        "ec2:DescribeFlowLogs",
        "ec2:DescribeLaunchTemplates",
        "ec2:DescribeLaunchTemplateVersions",
        "ec2:DescribeTags",
        "ec2:DescribeImages",
        "ec2:DescribeInstanceTypes",
        "ec2:DescribeInstanceTypeOfferings",
        "ec2:DescribeInstances",
        "ec2:DescribeVolumes",
      ],
      resources: ["*"],
    },
    {
      sid: "Ec2Write",
      effect: "Allow",
      actions: [
        "ec2:CreateVpc",
        "ec2:DeleteVpc",
        "ec2:ModifyVpcAttribute",
        "ec2:CreateSubnet",
        "ec2:DeleteSubnet",
        "ec2:ModifySubnetAttribute",
        "ec2:CreateInternetGateway",
        "ec2:DeleteInternetGateway",
        "ec2:AttachInternetGateway",
        "ec2:DetachInternetGateway",
        "ec2:AllocateAddress",
        "ec2:ReleaseAddress",
        "ec2:DisassociateAddress",
        "ec2:CreateNatGateway",
        "ec2:DeleteNatGateway",
        "ec2:CreateRouteTable",
        "ec2:DeleteRouteTable",
        "ec2:CreateRoute",
        "ec2:ReplaceRoute",
        "ec2:DeleteRoute",
        "ec2:AssociateRouteTable",
        "ec2:DisassociateRouteTable",
        "ec2:CreateSecurityGroup",
        "ec2:DeleteSecurityGroup",
        "ec2:AuthorizeSecurityGroupIngress",
        "ec2:AuthorizeSecurityGroupEgress",
        "ec2:RevokeSecurityGroupIngress",
        "ec2:RevokeSecurityGroupEgress",
        "ec2:ModifySecurityGroupRules",
        "ec2:UpdateSecurityGroupRuleDescriptionsIngress",
        "ec2:UpdateSecurityGroupRuleDescriptionsEgress",
        "ec2:CreateVpcEndpoint",
        "ec2:ModifyVpcEndpoint",
        "ec2:DeleteVpcEndpoints",
        "ec2:CreateFlowLogs",
        "ec2:DeleteFlowLogs",
        "ec2:CreateLaunchTemplate",
        "ec2:CreateLaunchTemplateVersion",
        "ec2:ModifyLaunchTemplate",
        "ec2:DeleteLaunchTemplate",
        "ec2:DeleteLaunchTemplateVersions",
        "ec2:GetLaunchTemplateData",
        "ec2:DescribeVpcAttribute",
        "ec2:GetManagedPrefixListEntries",
        "ec2:CreateTags",
        "ec2:DeleteTags",
      ],
      // EC2 names resources by id, so the narrowest ARN is this account and region.
      resources: [arn("ec2", "*")],
    },
  ];

  const cluster: PolicyStatement[] = [
    {
      sid: "EksCreate",
      effect: "Allow",
      actions: ["eks:CreateCluster", "eks:DescribeAddonVersions", "eks:DescribeAddonConfiguration", "eks:ListClusters", "eks:ListAccessPolicies"],
      resources: ["*"],
      condition: [inRegion],
    },
    {
      sid: "Eks",
      effect: "Allow",
      actions: [
        "eks:DeleteCluster",
        "eks:DescribeCluster",
        "eks:UpdateClusterConfig",
        "eks:UpdateClusterVersion",
        "eks:AssociateEncryptionConfig",
        "eks:DescribeUpdate",
        "eks:ListUpdates",
        "eks:TagResource",
        "eks:UntagResource",
        "eks:ListTagsForResource",
        "eks:CreateNodegroup",
        "eks:DeleteNodegroup",
        "eks:DescribeNodegroup",
        "eks:UpdateNodegroupConfig",
        "eks:UpdateNodegroupVersion",
        "eks:ListNodegroups",
        "eks:CreateAddon",
        "eks:DeleteAddon",
        "eks:DescribeAddon",
        "eks:UpdateAddon",
        "eks:ListAddons",
        "eks:CreateAccessEntry",
        "eks:DeleteAccessEntry",
        "eks:DescribeAccessEntry",
        "eks:UpdateAccessEntry",
        "eks:ListAccessEntries",
        "eks:AssociateAccessPolicy",
        "eks:DisassociateAccessPolicy",
        "eks:ListAssociatedAccessPolicies",
        "eks:CreatePodIdentityAssociation",
        "eks:DeletePodIdentityAssociation",
        "eks:DescribePodIdentityAssociation",
        "eks:UpdatePodIdentityAssociation",
        "eks:ListPodIdentityAssociations",
      ],
      resources: [
        arn("eks", `cluster/${name}`),
        arn("eks", `nodegroup/${name}/*`),
        arn("eks", `addon/${name}/*`),
        arn("eks", `access-entry/${name}/*`),
        arn("eks", `podidentityassociation/${name}/*`),
      ],
    },
    {
      sid: "EksAmiParameters",
      effect: "Allow",
      actions: ["ssm:GetParameter", "ssm:GetParameters"],
      resources: [`arn:${p}:ssm:${region}::parameter/aws/service/eks/*`],
    },
  ];

  const roles = iamArn(`role/${name}-*`);
  const iam: PolicyStatement[] = [
    {
      sid: "CreateRolesWithBoundary",
      effect: "Allow",
      actions: ["iam:CreateRole", "iam:PutRolePermissionsBoundary", "iam:PutRolePolicy", "iam:DeleteRolePolicy"],
      resources: [roles],
      condition: [boundary],
    },
    {
      sid: "AttachKnownPolicies",
      effect: "Allow",
      actions: ["iam:AttachRolePolicy", "iam:DetachRolePolicy"],
      resources: [roles],
      condition: [boundary, { test: "ArnLike", variable: "iam:PolicyARN", values: [...managed, iamArn(`policy/${name}-*`)] }],
    },
    {
      sid: "ManageRoles",
      effect: "Allow",
      actions: [
        "iam:GetRole",
        "iam:DeleteRole",
        "iam:UpdateRole",
        "iam:UpdateRoleDescription",
        "iam:UpdateAssumeRolePolicy",
        "iam:TagRole",
        "iam:UntagRole",
        "iam:ListRoleTags",
        "iam:GetRolePolicy",
        "iam:ListRolePolicies",
        "iam:ListAttachedRolePolicies",
        "iam:ListInstanceProfilesForRole",
      ],
      resources: [roles],
    },
    {
      sid: "PassRoles",
      effect: "Allow",
      actions: ["iam:PassRole"],
      resources: [roles],
      condition: [{ test: "StringEquals", variable: "iam:PassedToService", values: [...PASS_ROLE_SERVICES] }],
    },
    {
      sid: "ManagePolicies",
      effect: "Allow",
      actions: [
        "iam:CreatePolicy",
        "iam:DeletePolicy",
        "iam:GetPolicy",
        "iam:GetPolicyVersion",
        "iam:ListPolicyVersions",
        "iam:CreatePolicyVersion",
        "iam:DeletePolicyVersion",
        "iam:TagPolicy",
        "iam:UntagPolicy",
        "iam:ListPolicyTags",
        "iam:ListEntitiesForPolicy",
      ],
      resources: [iamArn(`policy/${name}-*`)],
    },
    { sid: "ReadManagedPolicies", effect: "Allow", actions: ["iam:GetPolicy", "iam:GetPolicyVersion"], resources: managed },
    {
      sid: "OidcProviders",
      effect: "Allow",
      actions: [
        "iam:CreateOpenIDConnectProvider",
        "iam:DeleteOpenIDConnectProvider",
        "iam:GetOpenIDConnectProvider",
        "iam:UpdateOpenIDConnectProviderThumbprint",
        "iam:AddClientIDToOpenIDConnectProvider",
        "iam:RemoveClientIDFromOpenIDConnectProvider",
        "iam:TagOpenIDConnectProvider",
        "iam:UntagOpenIDConnectProvider",
        "iam:ListOpenIDConnectProviderTags",
      ],
      resources: [iamArn(`oidc-provider/oidc.eks.${region}.amazonaws.com/id/*`)],
    },
    {
      sid: "ServiceLinkedRoles",
      effect: "Allow",
      actions: ["iam:CreateServiceLinkedRole"],
      resources: [iamArn("role/aws-service-role/*")],
      condition: [{ test: "StringEquals", variable: "iam:AWSServiceName", values: [...SERVICE_LINKED_ROLE_SERVICES] }],
    },
  ];
  return { foundation, network, cluster, iam };
}
