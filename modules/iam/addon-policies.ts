import type { DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";

/**
 * Least-privilege permissions for the cluster add-ons that call AWS through IRSA. Each function returns the
 * managed policies and inline statements for one add-on; no statement uses a `*` action, and resources are
 * scoped to this environment's account, region, cluster and named resources wherever the service allows.
 * Describe/List actions that IAM only authorises on `*` stay on `*`.
 */

export interface AddonPermissions {
  readonly managedPolicyArns: readonly string[];
  readonly statements: readonly DataAwsIamPolicyDocumentStatement[];
}

/** Where a policy is evaluated: the partition-free coordinates used to build ARNs. */
export interface PolicyScope {
  readonly accountId: string;
  readonly region: string;
}

const awsPolicy = (name: string) => `arn:aws:iam::aws:policy/${name}`;

/** KMS actions an AWS service needs to use a customer key for EBS volumes it creates for a principal. */
function ebsKeyStatements(keyArn: string, sidPrefix: string): DataAwsIamPolicyDocumentStatement[] {
  return [
    {
      sid: `${sidPrefix}KeyGrants`,
      effect: "Allow",
      actions: ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
      resources: [keyArn],
      condition: [{ test: "Bool", variable: "kms:GrantIsForAWSResource", values: ["true"] }],
    },
    {
      sid: `${sidPrefix}KeyUse`,
      effect: "Allow",
      actions: [
        "kms:Encrypt",
        "kms:Decrypt",
        "kms:ReEncryptFrom",
        "kms:ReEncryptTo",
        "kms:GenerateDataKey",
        "kms:GenerateDataKeyWithoutPlaintext",
        "kms:DescribeKey",
      ],
      resources: [keyArn],
    },
  ];
}

/** Amazon VPC CNI (`aws-node`): the CNI managed policy, kept off the node role. */
export function vpcCniPermissions(): AddonPermissions {
  return { managedPolicyArns: [awsPolicy("AmazonEKS_CNI_Policy")], statements: [] };
}

/** EBS CSI controller: the AWS managed driver policy plus grants on the EBS customer key. */
export function ebsCsiPermissions(props: { readonly ebsKmsKeyArn: string }): AddonPermissions {
  return {
    managedPolicyArns: [awsPolicy("service-role/AmazonEBSCSIDriverPolicy")],
    statements: ebsKeyStatements(props.ebsKmsKeyArn, "EbsCsi"),
  };
}

/**
 * Cluster autoscaler: reads on `*` (IAM offers nothing narrower for Describe calls), writes only to Auto
 * Scaling groups tagged `k8s.io/cluster-autoscaler/<cluster>=owned`, and DescribeNodegroup on this cluster's
 * node groups (labels and taints for scale-from-zero).
 */
export function clusterAutoscalerPermissions(props: PolicyScope & { readonly clusterName: string }): AddonPermissions {
  const { accountId, region, clusterName } = props;
  return {
    managedPolicyArns: [],
    statements: [
      {
        sid: "Discover",
        effect: "Allow",
        actions: [
          "autoscaling:DescribeAutoScalingGroups",
          "autoscaling:DescribeAutoScalingInstances",
          "autoscaling:DescribeLaunchConfigurations",
          "autoscaling:DescribeScalingActivities",
          "autoscaling:DescribeTags",
          "ec2:DescribeImages",
          "ec2:DescribeInstanceTypes",
          "ec2:DescribeLaunchTemplateVersions",
          "ec2:GetInstanceTypesFromInstanceRequirements",
        ],
        resources: ["*"],
      },
      {
        sid: "ScaleOwnedGroups",
        effect: "Allow",
        actions: ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"],
        resources: [`arn:aws:autoscaling:${region}:${accountId}:autoScalingGroup:*:autoScalingGroupName/*`],
        condition: [{ test: "StringEquals", variable: `aws:ResourceTag/k8s.io/cluster-autoscaler/${clusterName}`, values: ["owned"] }],
      },
      {
        sid: "DescribeClusterNodegroups",
        effect: "Allow",
        actions: ["eks:DescribeNodegroup"],
        resources: [`arn:aws:eks:${region}:${accountId}:nodegroup/${clusterName}/*/*`],
      },
    ],
  };
}

/**
 * AWS Load Balancer Controller: our own equivalent of the upstream `iam_policy.json`, with the
 * account and region written into every ARN, and creation, modification and deletion of load balancers,
 * target groups and security groups conditioned on the controller's `elbv2.k8s.aws/cluster` tag.
 */
export function loadBalancerControllerPermissions(props: PolicyScope): AddonPermissions {
  const { accountId, region } = props;
  const elb = (resource: string) => `arn:aws:elasticloadbalancing:${region}:${accountId}:${resource}`;
  const ec2 = (resource: string) => `arn:aws:ec2:${region}:${accountId}:${resource}`;
  const clusterTag = "elbv2.k8s.aws/cluster";
  const balancersAndGroups = [elb("targetgroup/*/*"), elb("loadbalancer/net/*/*"), elb("loadbalancer/app/*/*")];
  return {
    managedPolicyArns: [],
    statements: [
      {
        sid: "ElbServiceLinkedRole",
        effect: "Allow",
        actions: ["iam:CreateServiceLinkedRole"],
        resources: [
          `arn:aws:iam::${accountId}:role/aws-service-role/elasticloadbalancing.amazonaws.com/AWSServiceRoleForElasticLoadBalancing`,
        ],
        condition: [{ test: "StringEquals", variable: "iam:AWSServiceName", values: ["elasticloadbalancing.amazonaws.com"] }],
      },
      {
        sid: "Describe",
        effect: "Allow",
        actions: [
          "ec2:DescribeAccountAttributes",
          "ec2:DescribeAddresses",
          "ec2:DescribeAvailabilityZones",
          "ec2:DescribeInternetGateways",
          "ec2:DescribeVpcs",
          "ec2:DescribeVpcPeeringConnections",
          "ec2:DescribeSubnets",
          "ec2:DescribeSecurityGroups",
          "ec2:DescribeInstances",
          "ec2:DescribeNetworkInterfaces",
          "ec2:DescribeTags",
          "ec2:DescribeRouteTables",
          "ec2:DescribeCoipPools",
          "ec2:GetCoipPoolUsage",
          "ec2:GetSecurityGroupsForVpc",
          "ec2:DescribeIpamPools",
          "elasticloadbalancing:DescribeLoadBalancers",
          "elasticloadbalancing:DescribeLoadBalancerAttributes",
          "elasticloadbalancing:DescribeListeners",
          "elasticloadbalancing:DescribeListenerCertificates",
          "elasticloadbalancing:DescribeListenerAttributes",
          "elasticloadbalancing:DescribeSSLPolicies",
          "elasticloadbalancing:DescribeRules",
          "elasticloadbalancing:DescribeTargetGroups",
          "elasticloadbalancing:DescribeTargetGroupAttributes",
          "elasticloadbalancing:DescribeTargetHealth",
          "elasticloadbalancing:DescribeTags",
          "elasticloadbalancing:DescribeTrustStores",
          "elasticloadbalancing:DescribeCapacityReservation",
          "acm:ListCertificates",
          "iam:ListServerCertificates",
          "cognito-idp:DescribeUserPoolClient",
          "shield:GetSubscriptionState",
        ],
        resources: ["*"],
      },
      {
        sid: "Certificates",
        effect: "Allow",
        actions: ["acm:DescribeCertificate"],
        resources: [`arn:aws:acm:${region}:${accountId}:certificate/*`],
      },
      {
        sid: "ServerCertificates",
        effect: "Allow",
        actions: ["iam:GetServerCertificate"],
        resources: [`arn:aws:iam::${accountId}:server-certificate/*`],
      },
      {
        sid: "WebAclsAndShield",
        effect: "Allow",
        actions: [
          "waf-regional:GetWebACL",
          "waf-regional:GetWebACLForResource",
          "waf-regional:AssociateWebACL",
          "waf-regional:DisassociateWebACL",
          "wafv2:GetWebACL",
          "wafv2:GetWebACLForResource",
          "wafv2:AssociateWebACL",
          "wafv2:DisassociateWebACL",
          "shield:DescribeProtection",
          "shield:CreateProtection",
          "shield:DeleteProtection",
        ],
        resources: [
          `arn:aws:waf-regional:${region}:${accountId}:*`,
          `arn:aws:wafv2:${region}:${accountId}:*`,
          `arn:aws:shield::${accountId}:protection/*`,
          elb("loadbalancer/app/*/*"),
        ],
      },
      {
        sid: "BackendSecurityGroupRules",
        effect: "Allow",
        actions: ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress"],
        resources: [ec2("security-group/*")],
      },
      {
        sid: "CreateSecurityGroup",
        effect: "Allow",
        actions: ["ec2:CreateSecurityGroup"],
        resources: [ec2("security-group/*"), ec2("vpc/*")],
      },
      {
        sid: "TagNewSecurityGroup",
        effect: "Allow",
        actions: ["ec2:CreateTags"],
        resources: [ec2("security-group/*")],
        condition: [
          { test: "StringEquals", variable: "ec2:CreateAction", values: ["CreateSecurityGroup"] },
          { test: "Null", variable: `aws:RequestTag/${clusterTag}`, values: ["false"] },
        ],
      },
      {
        sid: "RetagOwnedSecurityGroups",
        effect: "Allow",
        actions: ["ec2:CreateTags", "ec2:DeleteTags"],
        resources: [ec2("security-group/*")],
        condition: [
          { test: "Null", variable: `aws:RequestTag/${clusterTag}`, values: ["true"] },
          { test: "Null", variable: `aws:ResourceTag/${clusterTag}`, values: ["false"] },
        ],
      },
      {
        sid: "ManageOwnedSecurityGroups",
        effect: "Allow",
        actions: ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress", "ec2:DeleteSecurityGroup"],
        resources: [ec2("security-group/*")],
        condition: [{ test: "Null", variable: `aws:ResourceTag/${clusterTag}`, values: ["false"] }],
      },
      {
        sid: "CreateTaggedLoadBalancers",
        effect: "Allow",
        actions: ["elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:CreateTargetGroup"],
        resources: balancersAndGroups,
        condition: [{ test: "Null", variable: `aws:RequestTag/${clusterTag}`, values: ["false"] }],
      },
      {
        sid: "ListenersAndRules",
        effect: "Allow",
        actions: [
          "elasticloadbalancing:CreateListener",
          "elasticloadbalancing:DeleteListener",
          "elasticloadbalancing:CreateRule",
          "elasticloadbalancing:DeleteRule",
        ],
        resources: [
          elb("loadbalancer/net/*/*"),
          elb("loadbalancer/app/*/*"),
          elb("listener/net/*/*/*"),
          elb("listener/app/*/*/*"),
          elb("listener-rule/net/*/*/*/*"),
          elb("listener-rule/app/*/*/*/*"),
        ],
      },
      {
        sid: "RetagOwnedLoadBalancers",
        effect: "Allow",
        actions: ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"],
        resources: balancersAndGroups,
        condition: [
          { test: "Null", variable: `aws:RequestTag/${clusterTag}`, values: ["true"] },
          { test: "Null", variable: `aws:ResourceTag/${clusterTag}`, values: ["false"] },
        ],
      },
      {
        sid: "TagListenersAndRules",
        effect: "Allow",
        actions: ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"],
        resources: [
          elb("listener/net/*/*/*"),
          elb("listener/app/*/*/*"),
          elb("listener-rule/net/*/*/*/*"),
          elb("listener-rule/app/*/*/*/*"),
        ],
      },
      {
        sid: "TagOnCreate",
        effect: "Allow",
        actions: ["elasticloadbalancing:AddTags"],
        resources: balancersAndGroups,
        condition: [
          { test: "StringEquals", variable: "elasticloadbalancing:CreateAction", values: ["CreateTargetGroup", "CreateLoadBalancer"] },
          { test: "Null", variable: `aws:RequestTag/${clusterTag}`, values: ["false"] },
        ],
      },
      {
        sid: "ManageOwnedLoadBalancers",
        effect: "Allow",
        actions: [
          "elasticloadbalancing:ModifyLoadBalancerAttributes",
          "elasticloadbalancing:SetIpAddressType",
          "elasticloadbalancing:SetSecurityGroups",
          "elasticloadbalancing:SetSubnets",
          "elasticloadbalancing:DeleteLoadBalancer",
          "elasticloadbalancing:ModifyTargetGroup",
          "elasticloadbalancing:ModifyTargetGroupAttributes",
          "elasticloadbalancing:DeleteTargetGroup",
          "elasticloadbalancing:ModifyListenerAttributes",
          "elasticloadbalancing:ModifyCapacityReservation",
          "elasticloadbalancing:ModifyIpPools",
        ],
        resources: balancersAndGroups,
        condition: [{ test: "Null", variable: `aws:ResourceTag/${clusterTag}`, values: ["false"] }],
      },
      {
        sid: "Targets",
        effect: "Allow",
        actions: ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"],
        resources: [elb("targetgroup/*/*")],
      },
      {
        sid: "ListenerSettings",
        effect: "Allow",
        actions: [
          "elasticloadbalancing:SetWebAcl",
          "elasticloadbalancing:ModifyListener",
          "elasticloadbalancing:AddListenerCertificates",
          "elasticloadbalancing:RemoveListenerCertificates",
          "elasticloadbalancing:ModifyRule",
        ],
        resources: [
          elb("loadbalancer/app/*/*"),
          elb("listener/net/*/*/*"),
          elb("listener/app/*/*/*"),
          elb("listener-rule/net/*/*/*/*"),
          elb("listener-rule/app/*/*/*/*"),
        ],
      },
    ],
  };
}

/**
 * External Secrets: read only this environment's secrets (`<name>-*`: Secrets Manager appends six random
 * characters to every secret ARN) and decrypt them with the secrets key through Secrets Manager only.
 */
export function externalSecretsPermissions(
  props: PolicyScope & { readonly secretNames: readonly string[]; readonly secretsKmsKeyArn: string },
): AddonPermissions {
  const { accountId, region, secretNames } = props;
  if (secretNames.length === 0) return { managedPolicyArns: [], statements: [] };
  return {
    managedPolicyArns: [],
    statements: [
      {
        sid: "ReadEnvironmentSecrets",
        effect: "Allow",
        actions: [
          "secretsmanager:GetSecretValue",
          "secretsmanager:DescribeSecret",
          "secretsmanager:ListSecretVersionIds",
          "secretsmanager:GetResourcePolicy",
        ],
        resources: secretNames.map((name) => `arn:aws:secretsmanager:${region}:${accountId}:secret:${name}-*`),
      },
      {
        sid: "DecryptThroughSecretsManager",
        effect: "Allow",
        actions: ["kms:Decrypt", "kms:DescribeKey"],
        resources: [props.secretsKmsKeyArn],
        condition: [{ test: "StringEquals", variable: "kms:ViaService", values: [`secretsmanager.${region}.amazonaws.com`] }],
      },
    ],
  };
}

/**
 * Velero: objects in its own backup bucket (encrypted with the S3 key), and EBS snapshots of volumes
 * encrypted with the EBS key.
 */
export function veleroPermissions(
  props: PolicyScope & { readonly bucketName: string; readonly s3KmsKeyArn: string; readonly ebsKmsKeyArn: string },
): AddonPermissions {
  const { accountId, region, bucketName } = props;
  return {
    managedPolicyArns: [],
    statements: [
      {
        sid: "DescribeVolumesAndSnapshots",
        effect: "Allow",
        actions: ["ec2:DescribeVolumes", "ec2:DescribeSnapshots"],
        resources: ["*"],
      },
      {
        sid: "Snapshots",
        effect: "Allow",
        actions: ["ec2:CreateSnapshot", "ec2:CreateVolume", "ec2:DeleteSnapshot", "ec2:CreateTags"],
        resources: [`arn:aws:ec2:${region}:${accountId}:volume/*`, `arn:aws:ec2:${region}::snapshot/*`],
      },
      {
        sid: "BackupObjects",
        effect: "Allow",
        actions: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
        resources: [`arn:aws:s3:::${bucketName}/*`],
      },
      {
        sid: "BackupBucket",
        effect: "Allow",
        actions: ["s3:ListBucket"],
        resources: [`arn:aws:s3:::${bucketName}`],
      },
      {
        sid: "BackupKey",
        effect: "Allow",
        actions: ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"],
        resources: [props.s3KmsKeyArn],
      },
      ...ebsKeyStatements(props.ebsKmsKeyArn, "SnapshotVolume"),
    ],
  };
}

/** Alertmanager: publish to this environment's alerts topic, encrypted with the SNS key. */
export function alertmanagerPermissions(
  props: PolicyScope & { readonly topicName: string; readonly snsKmsKeyArn: string },
): AddonPermissions {
  const { accountId, region } = props;
  return {
    managedPolicyArns: [],
    statements: [
      {
        sid: "PublishAlerts",
        effect: "Allow",
        actions: ["sns:Publish"],
        resources: [`arn:aws:sns:${region}:${accountId}:${props.topicName}`],
      },
      {
        sid: "EncryptedTopic",
        effect: "Allow",
        actions: ["kms:GenerateDataKey", "kms:Decrypt"],
        resources: [props.snsKmsKeyArn],
        condition: [{ test: "StringEquals", variable: "kms:ViaService", values: [`sns.${region}.amazonaws.com`] }],
      },
    ],
  };
}
