/**
 * What each Terraform type Shipyard emits needs from IAM: the actions the AWS provider calls to create,
 * read, update, tag and delete a resource (or read a data source), with the source of every entry.
 *
 * Seeded from Pike's mapping (`../shared/data/iam-actions-by-terraform-type.json`, Pike commit 085701b0):
 * each type's base actions plus the actions of the attributes Shipyard sets. That file is not read at
 * synthesis; `__tests__/policies/permissions.test.ts` compares this table with it in place, so a drift
 * either way fails. Actions Pike lacks are in `extra` with their own source.
 *
 * The deployer's policies are computed from this table and the types each layer contains
 * (`src/policy/deployer.ts`): a type missing here fails synthesis tests, not a deploy.
 */
import { ECR_PUSH_ACTIONS } from "../../modules/iam/boundary";

export const PIKE = "pike@085701b0 (shared/data/iam-actions-by-terraform-type.json)";

export interface TypePermissions {
  readonly create: readonly string[];
  readonly read: readonly string[];
  readonly update: readonly string[];
  readonly tag: readonly string[];
  readonly delete: readonly string[];
  /** Where the lists come from. */
  readonly source: string;
  /** Actions beyond the source, each with its own source. @default none */
  readonly extra?: readonly { readonly actions: readonly string[]; readonly source: string }[];
}

/**
 * Pike actions the table leaves out, with the reason: calls the provider makes only for settings Shipyard
 * never uses. Kept here so the comparison with Pike stays exact.
 */
export const OMITTED_PIKE_ACTIONS: Readonly<Record<string, string>> = {
  "vpc-lattice:CreateServiceNetworkVpcEndpointAssociation":
    "aws_vpc_endpoint of type ServiceNetwork only; Shipyard creates Gateway and Interface endpoints",
  "vpc-lattice:DescribeServiceNetworkVpcEndpointAssociation":
    "not a real IAM action (absent from the Service Authorization Reference), and ServiceNetwork endpoints only",
};

/** Types that call no AWS API (rendered locally, or not an AWS type at all). */
export const NO_IAM_TYPES: readonly string[] = [
  "data.aws_iam_policy_document",
  // A presigned sts:GetCallerIdentity URL, signed locally; GetCallerIdentity needs no permission.
  "data.aws_eks_cluster_auth",
  "data.aws_caller_identity",
  "data.aws_region",
  "data.aws_partition",
  "data.terraform_remote_state",
];

export const TYPE_PERMISSIONS: Readonly<Record<string, TypePermissions>> = {
  "resource.aws_cloudtrail": {
    create: ["cloudtrail:CreateTrail", "iam:PassRole"],
    read: ["cloudtrail:DescribeTrails", "cloudtrail:GetEventSelectors", "cloudtrail:GetTrailStatus"],
    update: ["cloudtrail:StartLogging", "cloudtrail:UpdateTrail"],
    tag: ["cloudtrail:AddTags", "cloudtrail:ListTags", "cloudtrail:RemoveTags"],
    delete: ["cloudtrail:DeleteTrail"],
    source: PIKE,
  },
  "resource.aws_cloudwatch_log_group": {
    extra: [
      {
        actions: ["logs:TagResource", "logs:UntagResource"],
        source: "terraform-provider-aws 5.x: log group tags through the TagResource API (CHANGELOG 5.0)",
      },
    ],
    create: ["logs:AssociateKmsKey", "logs:CreateLogGroup", "logs:PutRetentionPolicy"],
    read: ["logs:DescribeLogGroups"],
    update: [],
    tag: ["logs:ListTagsForResource", "logs:ListTagsLogGroup", "logs:TagLogGroup", "logs:UntagLogGroup"],
    delete: ["logs:DeleteLogGroup", "logs:DeleteRetentionPolicy", "logs:DisassociateKmsKey"],
    source: PIKE,
  },
  "resource.aws_ecr_lifecycle_policy": {
    create: ["ecr:PutLifecyclePolicy"],
    read: ["ecr:GetLifecyclePolicy"],
    update: [],
    tag: [],
    delete: ["ecr:DeleteLifecyclePolicy"],
    source: PIKE,
  },
  "resource.aws_ecr_repository": {
    create: ["ecr:CreateRepository", "ecr:PutImageScanningConfiguration", "kms:CreateGrant"],
    read: ["ecr:DescribeRepositories", "kms:DescribeKey"],
    update: [],
    tag: ["ecr:ListTagsForResource", "ecr:TagResource", "ecr:UntagResource"],
    delete: ["ecr:DeleteRepository", "kms:RetireGrant"],
    source: PIKE,
  },
  "resource.aws_ecr_repository_policy": {
    create: [],
    read: ["ec2:DescribeAccountAttributes", "ecr:GetRepositoryPolicy"],
    update: ["ecr:SetRepositoryPolicy"],
    tag: [],
    delete: ["ecr:DeleteRepositoryPolicy"],
    source: PIKE,
  },
  "resource.aws_iam_policy": {
    create: ["iam:CreatePolicy"],
    read: ["iam:GetPolicy", "iam:GetPolicyVersion", "iam:ListPolicyVersions"],
    update: [],
    tag: ["iam:TagPolicy", "iam:UntagPolicy"],
    delete: ["iam:DeletePolicy"],
    source: PIKE,
  },
  "resource.aws_iam_role": {
    create: ["iam:CreateRole", "iam:PutRolePermissionsBoundary"],
    read: ["iam:GetRole", "iam:ListAttachedRolePolicies", "iam:ListInstanceProfilesForRole", "iam:ListRolePolicies"],
    update: ["iam:UpdateRoleDescription"],
    tag: ["iam:TagRole", "iam:UntagRole"],
    delete: ["iam:DeleteRole", "iam:DeleteRolePermissionsBoundary"],
    source: PIKE,
  },
  "resource.aws_iam_role_policy": {
    create: ["iam:PutRolePolicy"],
    read: ["iam:GetRolePolicy"],
    update: [],
    tag: [],
    delete: ["iam:DeleteRolePolicy"],
    source: PIKE,
  },
  "resource.aws_iam_role_policy_attachment": {
    create: ["iam:AttachRolePolicy"],
    read: ["iam:ListAttachedRolePolicies"],
    update: [],
    tag: [],
    delete: ["iam:DetachRolePolicy"],
    source: PIKE,
  },
  "resource.aws_kms_alias": {
    create: ["kms:CreateAlias"],
    read: ["kms:ListAliases"],
    update: ["kms:UpdateAlias"],
    tag: [],
    delete: ["kms:DeleteAlias"],
    source: PIKE,
  },
  "resource.aws_kms_key": {
    create: ["kms:CreateKey", "kms:PutKeyPolicy"],
    read: ["kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus"],
    update: ["kms:EnableKeyRotation", "kms:UpdateKeyDescription"],
    tag: ["kms:ListResourceTags", "kms:TagResource", "kms:UntagResource"],
    delete: ["kms:ScheduleKeyDeletion"],
    source: PIKE,
  },
  "resource.aws_s3_bucket": {
    create: ["s3:CreateBucket"],
    read: [
      "s3:GetAccelerateConfiguration",
      "s3:GetBucketAcl",
      "s3:GetBucketCORS",
      "s3:GetBucketLogging",
      "s3:GetBucketObjectLockConfiguration",
      "s3:GetBucketPolicy",
      "s3:GetBucketRequestPayment",
      "s3:GetBucketVersioning",
      "s3:GetBucketWebsite",
      "s3:GetEncryptionConfiguration",
      "s3:GetLifecycleConfiguration",
      "s3:GetObject",
      "s3:GetObjectAcl",
      "s3:GetReplicationConfiguration",
      "s3:ListBucket",
    ],
    update: [],
    tag: ["s3:GetBucketTagging", "s3:PutBucketTagging"],
    delete: ["s3:DeleteBucket"],
    source: PIKE,
  },
  "resource.aws_s3_bucket_lifecycle_configuration": {
    create: ["s3:PutBucketLogging", "s3:PutLifecycleConfiguration"],
    read: ["s3:GetBucketLogging", "s3:GetLifecycleConfiguration"],
    update: [],
    tag: [],
    delete: [],
    source: PIKE,
  },
  "resource.aws_s3_bucket_ownership_controls": {
    create: ["s3:PutBucketOwnershipControls"],
    read: ["s3:GetBucketOwnershipControls"],
    update: [],
    tag: [],
    delete: [],
    source: PIKE,
  },
  "resource.aws_s3_bucket_policy": {
    create: ["s3:PutBucketPolicy"],
    read: ["s3:GetBucketPolicy"],
    update: [],
    tag: [],
    delete: ["s3:DeleteBucketPolicy"],
    source: PIKE,
  },
  "resource.aws_s3_bucket_public_access_block": {
    create: ["s3:PutBucketPublicAccessBlock"],
    read: ["s3:GetBucketPublicAccessBlock"],
    update: [],
    tag: [],
    delete: [],
    source: PIKE,
  },
  "resource.aws_s3_bucket_server_side_encryption_configuration": {
    create: ["s3:PutEncryptionConfiguration"],
    read: ["s3:GetEncryptionConfiguration"],
    update: [],
    tag: [],
    delete: [],
    source: PIKE,
  },
  "resource.aws_s3_bucket_versioning": {
    create: ["s3:PutBucketVersioning"],
    read: ["s3:GetBucketVersioning"],
    update: [],
    tag: [],
    delete: [],
    source: PIKE,
  },
  "resource.aws_secretsmanager_secret": {
    create: ["secretsmanager:CreateSecret"],
    read: ["secretsmanager:DescribeSecret", "secretsmanager:GetResourcePolicy"],
    update: [],
    tag: ["secretsmanager:TagResource", "secretsmanager:UntagResource"],
    delete: ["secretsmanager:DeleteSecret"],
    source: PIKE,
  },
  "resource.aws_secretsmanager_secret_policy": {
    create: ["secretsmanager:PutResourcePolicy"],
    read: ["secretsmanager:DescribeSecret", "secretsmanager:GetResourcePolicy"],
    update: [],
    tag: [],
    delete: ["secretsmanager:DeleteResourcePolicy"],
    source: PIKE,
  },
  "resource.aws_sns_topic": {
    create: ["sns:CreateTopic", "sns:UnTagResource"],
    read: ["sns:GetTopicAttributes"],
    update: ["sns:SetTopicAttributes"],
    tag: ["sns:ListTagsForResource", "sns:TagResource"],
    delete: ["sns:DeleteTopic"],
    source: PIKE,
  },
  "resource.aws_sns_topic_policy": {
    create: [],
    read: ["sns:GetTopicAttributes"],
    update: ["sns:SetTopicAttributes"],
    tag: [],
    delete: [],
    source: PIKE,
  },
  "resource.aws_default_security_group": {
    create: ["ec2:AuthorizeSecurityGroupEgress", "ec2:AuthorizeSecurityGroupIngress"],
    read: ["ec2:DescribeSecurityGroups"],
    update: [],
    tag: ["ec2:CreateTags", "ec2:DeleteTags"],
    delete: ["ec2:RevokeSecurityGroupEgress", "ec2:RevokeSecurityGroupIngress"],
    source: PIKE,
  },
  "resource.aws_eip": {
    create: ["ec2:AllocateAddress", "ec2:AssociateAddress"],
    read: ["ec2:DescribeAddresses"],
    update: [],
    tag: ["ec2:CreateTags", "ec2:DeleteTags"],
    delete: ["ec2:DisassociateAddress", "ec2:ReleaseAddress"],
    source: PIKE,
  },
  "resource.aws_flow_log": {
    create: ["ec2:CreateFlowLogs", "iam:PassRole", "logs:CreateLogDelivery"],
    read: ["ec2:DescribeAccountAttributes", "ec2:DescribeFlowLogs"],
    update: [],
    tag: ["ec2:CreateTags", "ec2:DeleteTags"],
    delete: ["ec2:DeleteFlowLogs"],
    source: PIKE,
  },
  "resource.aws_internet_gateway": {
    create: ["ec2:AttachInternetGateway", "ec2:CreateInternetGateway"],
    read: ["ec2:DescribeInternetGateways"],
    update: [],
    tag: ["ec2:CreateTags", "ec2:DeleteTags"],
    delete: ["ec2:DeleteInternetGateway", "ec2:DetachInternetGateway"],
    source: PIKE,
  },
  "resource.aws_nat_gateway": {
    create: [
      "ec2:AssignPrivateNatGatewayAddress",
      "ec2:AssociateNatGatewayAddress",
      "ec2:CreateNatGateway",
      "ec2:UnassignPrivateNatGatewayAddress",
    ],
    read: ["ec2:DescribeNatGateways"],
    update: [],
    tag: ["ec2:CreateTags", "ec2:DeleteTags"],
    delete: ["ec2:DeleteNatGateway", "ec2:DisassociateNatGatewayAddress"],
    source: PIKE,
  },
  "resource.aws_route": {
    create: ["ec2:CreateRoute"],
    read: ["ec2:DescribeNetworkInterfaces", "ec2:DescribeRouteTables"],
    update: ["ec2:ReplaceRoute"],
    tag: [],
    delete: ["ec2:DeleteRoute"],
    source: PIKE,
  },
  "resource.aws_route_table": {
    create: ["ec2:CreateRouteTable"],
    read: ["ec2:DescribeAccountAttributes", "ec2:DescribeRouteTables"],
    update: [],
    tag: ["ec2:CreateTags", "ec2:DeleteTags"],
    delete: ["ec2:DeleteRouteTable"],
    source: PIKE,
  },
  "resource.aws_route_table_association": {
    create: ["ec2:AssociateRouteTable"],
    read: ["ec2:DescribeAccountAttributes", "ec2:DescribeRouteTables", "ec2:DescribeSubnets"],
    update: ["ec2:ReplaceRouteTableAssociation"],
    tag: [],
    delete: ["ec2:DisassociateRouteTable"],
    source: PIKE,
  },
  "resource.aws_security_group": {
    create: ["ec2:AuthorizeSecurityGroupEgress", "ec2:AuthorizeSecurityGroupIngress", "ec2:CreateSecurityGroup"],
    read: ["ec2:DescribeAccountAttributes", "ec2:DescribeNetworkInterfaces", "ec2:DescribeSecurityGroups"],
    update: [],
    tag: ["ec2:CreateTags", "ec2:DeleteTags"],
    delete: ["ec2:DeleteSecurityGroup", "ec2:RevokeSecurityGroupEgress", "ec2:RevokeSecurityGroupIngress"],
    source: PIKE,
  },
  "resource.aws_subnet": {
    create: ["ec2:AssociateSubnetCidrBlock", "ec2:CreateSubnet"],
    read: ["ec2:DescribeAccountAttributes", "ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets"],
    update: ["ec2:ModifySubnetAttribute"],
    tag: ["ec2:CreateTags", "ec2:DeleteTags"],
    delete: ["ec2:DeleteSubnet", "ec2:DisassociateSubnetCidrBlock"],
    source: PIKE,
  },
  "resource.aws_vpc": {
    create: ["ec2:CreateVPC"],
    read: ["ec2:DescribeAccountAttributes", "ec2:DescribeNetworkAcls", "ec2:DescribeVpcAttribute", "ec2:DescribeVpcs"],
    update: ["ec2:ModifyVpcAttribute", "ec2:ModifyVpcTenancy"],
    tag: ["ec2:CreateTags", "ec2:DeleteTags"],
    delete: ["ec2:DeleteVPC"],
    source: PIKE,
  },
  "resource.aws_vpc_endpoint": {
    create: ["ec2:CreateVpcEndpoint", "vpce:AllowMultiRegion"],
    read: ["ec2:DescribePrefixLists", "ec2:DescribeSecurityGroups", "ec2:DescribeSubnets", "ec2:DescribeVpcEndpoints"],
    update: ["ec2:ModifyVpcEndpoint"],
    tag: ["ec2:CreateTags", "ec2:DeleteTags"],
    delete: ["ec2:DeleteVpcEndpoints"],
    source: PIKE,
  },
  "resource.aws_autoscaling_group_tag": {
    create: [],
    read: [],
    update: [],
    tag: ["autoscaling:CreateOrUpdateTags", "autoscaling:DeleteTags", "autoscaling:DescribeTags"],
    delete: [],
    source: PIKE,
  },
  "resource.aws_eks_access_entry": {
    create: ["eks:AssociateAccessPolicy", "eks:CreateAccessEntry"],
    read: ["eks:DescribeAccessEntry", "eks:ListAssociatedAccessPolicies"],
    update: ["eks:UpdateAccessEntry"],
    tag: ["eks:TagResource", "eks:UntagResource"],
    delete: ["eks:DeleteAccessEntry"],
    source: PIKE,
  },
  "resource.aws_eks_access_policy_association": {
    create: ["eks:AssociateAccessPolicy"],
    read: [],
    update: [],
    tag: [],
    delete: ["eks:DisassociateAccessPolicy"],
    source: PIKE,
  },
  "resource.aws_eks_addon": {
    create: ["eks:CreateAddon", "eks:CreatePodIdentityAssociation", "iam:PassRole"],
    read: ["eks:DescribeAddon", "eks:DescribeAddonVersions", "iam:GetRole"],
    update: ["eks:UpdateAddon"],
    tag: ["eks:ListTagsForResource", "eks:TagResource", "eks:UntagResource"],
    delete: ["eks:DeleteAddon", "eks:DeletePodIdentityAssociation"],
    source: PIKE,
  },
  "resource.aws_eks_cluster": {
    extra: [
      {
        actions: ["kms:DescribeKey", "kms:CreateGrant"],
        source: "EKS user guide, envelope encryption: the caller of CreateCluster needs kms:DescribeKey and kms:CreateGrant on the key",
      },
    ],
    create: ["eks:CreateAccessEntry", "eks:CreateCluster", "iam:AddRoleToInstanceProfile", "iam:PassRole"],
    read: ["ec2:DescribeAccountAttributes", "ec2:DescribeSubnets", "ec2:DescribeVpcs", "eks:DescribeCluster", "iam:GetInstanceProfile"],
    update: ["eks:UpdateClusterConfig"],
    tag: ["eks:ListTagsForResource", "eks:TagResource", "eks:UntagResource", "iam:TagInstanceProfile"],
    delete: ["eks:DeleteCluster", "iam:DeleteInstanceProfile", "iam:RemoveRoleFromInstanceProfile"],
    source: PIKE,
  },
  "resource.aws_eks_node_group": {
    create: ["ec2:RunInstances", "eks:CreateNodegroup", "iam:CreateServiceLinkedRole", "iam:PassRole"],
    read: [
      "ec2:DescribeAccountAttributes",
      "ec2:DescribeKeyPairs",
      "ec2:DescribeLaunchTemplateVersions",
      "ec2:DescribeLaunchTemplates",
      "ec2:DescribeRouteTables",
      "ec2:DescribeSecurityGroups",
      "ec2:DescribeSubnets",
      "ec2:DescribeVpcs",
      "eks:DescribeNodegroup",
      "eks:ListUpdates",
      "iam:GetRole",
      "iam:ListAttachedRolePolicies",
    ],
    update: ["eks:UpdateNodegroupConfig", "eks:UpdateNodegroupVersion"],
    tag: ["ec2:CreateTags", "ec2:DeleteTags", "eks:TagResource", "eks:UntagResource"],
    delete: ["eks:DeleteNodegroup"],
    source: PIKE,
  },
  "resource.aws_iam_openid_connect_provider": {
    create: ["iam:AddClientIDToOpenIDConnectProvider", "iam:CreateOpenIDConnectProvider"],
    read: ["ec2:DescribeAccountAttributes", "iam:GetOpenIDConnectProvider"],
    update: ["iam:UpdateOpenIDConnectProviderThumbprint"],
    tag: ["iam:ListOpenIDConnectProviderTags", "iam:TagOpenIDConnectProvider", "iam:UntagOpenIDConnectProvider"],
    delete: ["iam:DeleteOpenIDConnectProvider", "iam:RemoveClientIDFromOpenIDConnectProvider"],
    source: PIKE,
  },
  "resource.aws_launch_template": {
    create: ["ec2:CreateLaunchTemplate", "ec2:CreateLaunchTemplateVersion"],
    read: ["ec2:DescribeInstanceTypes", "ec2:DescribeLaunchTemplateVersions", "ec2:DescribeLaunchTemplates"],
    update: [],
    tag: [],
    delete: ["ec2:DeleteLaunchTemplate"],
    source: PIKE,
  },
  "resource.aws_vpc_security_group_ingress_rule": {
    create: ["ec2:AuthorizeSecurityGroupIngress"],
    read: ["ec2:DescribeSecurityGroupRules"],
    update: [],
    tag: [],
    delete: ["ec2:RevokeSecurityGroupIngress"],
    source: PIKE,
  },
  "resource.aws_vpc_security_group_egress_rule": {
    create: ["ec2:AuthorizeSecurityGroupEgress"],
    read: ["ec2:DescribeSecurityGroupRules"],
    update: [],
    tag: [],
    delete: ["ec2:RevokeSecurityGroupEgress"],
    source: PIKE,
  },
  "resource.aws_security_group_rule": {
    create: ["ec2:AuthorizeSecurityGroupEgress", "ec2:AuthorizeSecurityGroupIngress"],
    read: ["ec2:DescribeSecurityGroupRules", "ec2:DescribeSecurityGroups"],
    update: [],
    tag: [],
    delete: ["ec2:RevokeSecurityGroupEgress", "ec2:RevokeSecurityGroupIngress"],
    source: PIKE,
  },
  "resource.aws_eks_pod_identity_association": {
    create: ["eks:CreatePodIdentityAssociation", "iam:PassRole"],
    read: ["eks:DescribePodIdentityAssociation", "iam:GetRole"],
    update: ["eks:UpdatePodIdentityAssociation"],
    tag: ["eks:TagResource", "eks:UntagResource"],
    delete: ["eks:DeletePodIdentityAssociation"],
    source: PIKE,
  },
  "data.aws_eks_cluster": { create: [], read: ["eks:DescribeCluster"], update: [], tag: [], delete: [], source: PIKE },
  "data.aws_eks_cluster_auth": { create: [], read: [], update: [], tag: [], delete: [], source: PIKE },
  "data.aws_caller_identity": { create: [], read: [], update: [], tag: [], delete: [], source: PIKE },
  "data.aws_region": { create: [], read: [], update: [], tag: [], delete: [], source: PIKE },
  "data.aws_partition": { create: [], read: [], update: [], tag: [], delete: [], source: PIKE },
  "data.aws_availability_zones": { create: [], read: ["ec2:DescribeAvailabilityZones"], update: [], tag: [], delete: [], source: PIKE },
  "data.aws_ssm_parameter": { create: [], read: ["ssm:GetParameter"], update: [], tag: [], delete: [], source: PIKE },
  "resource.aws_sqs_queue": {
    create: ["sqs:CreateQueue"],
    read: ["sqs:GetQueueAttributes", "sqs:GetQueueUrl"],
    update: ["sqs:SetQueueAttributes"],
    tag: ["sqs:ListQueueTags", "sqs:TagQueue", "sqs:UntagQueue"],
    delete: ["sqs:DeleteQueue"],
    source: PIKE,
  },
  "resource.aws_sqs_queue_policy": {
    create: [],
    read: ["sqs:GetQueueAttributes"],
    update: ["sqs:SetQueueAttributes"],
    tag: ["sqs:ListQueueTags"],
    delete: [],
    source: PIKE,
  },
  "resource.aws_cloudwatch_event_rule": {
    create: ["events:PutRule", "events:PutTargets", "events:UnTagResource"],
    read: ["events:DescribeRule"],
    update: [],
    tag: ["events:ListTagsForResource", "events:TagResource"],
    delete: ["events:DeleteRule", "events:RemoveTargets"],
    source: PIKE,
  },
  "resource.aws_cloudwatch_event_target": {
    create: ["events:PutTargets"],
    read: ["events:ListTargetsByRule"],
    update: [],
    tag: [],
    delete: ["events:RemoveTargets"],
    source: PIKE,
  },
  "resource.aws_sns_topic_subscription": {
    create: ["SNS:Subscribe"],
    read: ["SNS:GetSubscriptionAttributes"],
    update: [],
    tag: [],
    delete: ["SNS:Unsubscribe"],
    source: PIKE,
  },
  "resource.aws_cloudwatch_metric_alarm": {
    create: ["cloudwatch:PutMetricAlarm", "cloudwatch:UnTagResource"],
    read: ["cloudwatch:DescribeAlarms"],
    update: [],
    tag: ["cloudwatch:ListTagsForResource", "cloudwatch:TagResource"],
    delete: ["cloudwatch:DeleteAlarms"],
    source: PIKE,
  },
  "resource.aws_vpc_peering_connection": {
    create: ["ec2:CreateVpcPeeringConnection"],
    read: ["ec2:DescribeAccountAttributes", "ec2:DescribeVpcPeeringConnections"],
    update: [],
    tag: ["ec2:CreateTags", "ec2:DeleteTags"],
    delete: ["ec2:DeleteVpcPeeringConnection"],
    source: PIKE,
  },
  "resource.aws_vpc_peering_connection_accepter": {
    create: [],
    read: ["ec2:DescribeVpcPeeringConnections"],
    update: [],
    tag: ["ec2:CreateTags", "ec2:DeleteTags"],
    delete: [],
    source: PIKE,
  },
  "resource.aws_ec2_transit_gateway_vpc_attachment": {
    create: ["ec2:CreateTransitGatewayVpcAttachment"],
    read: ["ec2:DescribeTransitGatewayAttachments", "ec2:DescribeTransitGatewayVpcAttachments", "ec2:DescribeTransitGateways"],
    update: ["ec2:ModifyTransitGatewayVpcAttachment"],
    tag: ["ec2:CreateTags", "ec2:DeleteTags", "ec2:DescribeTags"],
    delete: ["ec2:DeleteTransitGatewayVpcAttachment"],
    source: PIKE,
  },
  "resource.aws_iam_instance_profile": {
    create: ["iam:AddRoleToInstanceProfile", "iam:CreateInstanceProfile", "iam:PassRole"],
    read: ["iam:GetInstanceProfile", "iam:GetRole"],
    update: [],
    tag: ["iam:TagInstanceProfile", "iam:UntagInstanceProfile"],
    delete: ["iam:DeleteInstanceProfile", "iam:RemoveRoleFromInstanceProfile"],
    source: PIKE,
  },
};

/**
 * What the deployer does besides applying Terraform, by purpose, with the source of each: the Jenkins
 * pipeline's image push, and Ansible over SSM (community.aws.aws_ssm) after a deploy.
 */
export const DEPLOYER_OPERATIONS: Readonly<Record<string, { readonly actions: readonly string[]; readonly source: string }>> = {
  "image-push": {
    actions: ["ecr:GetAuthorizationToken", ...ECR_PUSH_ACTIONS],
    source: "ECR user guide, pushing an image: the required IAM permissions",
  },
  "ansible-ssm": {
    actions: ["ssm:StartSession", "ssm:TerminateSession", "ssm:ResumeSession", "ssm:DescribeInstanceInformation", "ec2:DescribeInstances"],
    source: "community.aws.aws_ssm connection plugin documentation and Session Manager's IAM policy examples",
  },
  "ansible-ssm-staging": {
    actions: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:ListBucket", "kms:GenerateDataKey", "kms:Decrypt"],
    source: "community.aws.aws_ssm: files are staged in an S3 bucket (bucket_name) encrypted with the bucket's key",
  },
};

/** Every action one type needs, in the table's order (create, read, update, tag, delete, extra). */
export function actionsForType(type: string): string[] | undefined {
  if (NO_IAM_TYPES.includes(type)) return [];
  const entry = TYPE_PERMISSIONS[type];
  if (!entry) return undefined;
  return [
    ...new Set([
      ...entry.create,
      ...entry.read,
      ...entry.update,
      ...entry.tag,
      ...entry.delete,
      ...(entry.extra ?? []).flatMap((e) => e.actions),
    ]),
  ];
}
