import { Construct } from "constructs";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { ShipyardValidationError } from "../core";
import { boundaryPolicyArn, boundaryPolicyName, roleName } from "./naming";
import { PASS_ROLE_SERVICES, SERVICE_LINKED_ROLE_SERVICES } from "./deployer-role";
import { type PolicyStatement, unique } from "./policy";
import { type EnvironmentScopeProps, serviceScope } from "./scopes";

/**
 * Services whose actions Shipyard's roles may be granted (the ceiling, not a grant): the platform's own
 * resources plus what the node role and the add-on roles (load balancer controller, autoscaler, EBS CSI,
 * VPC CNI, External Secrets, Velero, Alertmanager) call.
 */
export const DEFAULT_BOUNDARY_SERVICES: readonly string[] = [
  "acm",
  "autoscaling",
  "cloudtrail",
  "cloudwatch",
  "cognito-idp",
  "ec2",
  "ec2messages",
  "ecr",
  "eks",
  "eks-auth",
  "elasticloadbalancing",
  "kms",
  "logs",
  "route53",
  "s3",
  "secretsmanager",
  "shield",
  "sns",
  "ssm",
  "ssmmessages",
  "tag",
  "vpce",
  "waf-regional",
  "wafv2",
];

/** Role actions whose `iam:PermissionsBoundary` must be this boundary (create, and change a role's permissions). */
export const BOUNDARY_ENFORCED_ACTIONS: readonly string[] = [
  "iam:CreateRole",
  "iam:PutRolePermissionsBoundary",
  "iam:PutRolePolicy",
  "iam:DeleteRolePolicy",
  "iam:AttachRolePolicy",
  "iam:DetachRolePolicy",
];

/** Services whose resources are this environment's by name (their own scope in `serviceScope`). */
const NAMED_SCOPE_SERVICES = ["s3", "kms", "secretsmanager", "logs", "sns", "ecr", "eks", "cloudtrail"];

/**
 * Reads of metadata per service that the boundary allows on `*` in the region (IAM authorizes many of
 * them only on `*`). No reads of data: not `s3:List*`/`Get*`, `secretsmanager:Get*`, `logs:Get*` or
 * `ssm:Get*`, which would reach other environments' objects, secret values, logs and parameters.
 */
const REGIONAL_READS: Readonly<Record<string, readonly string[]>> = {
  acm: ["acm:Describe*", "acm:List*", "acm:GetCertificate"],
  autoscaling: ["autoscaling:Describe*"],
  cloudtrail: ["cloudtrail:Describe*", "cloudtrail:List*", "cloudtrail:GetTrailStatus"],
  cloudwatch: ["cloudwatch:Describe*", "cloudwatch:List*", "cloudwatch:GetMetricData", "cloudwatch:GetMetricStatistics"],
  "cognito-idp": ["cognito-idp:DescribeUserPoolClient"],
  ec2: [
    "ec2:Describe*",
    "ec2:GetCoipPoolUsage",
    "ec2:GetSecurityGroupsForVpc",
    "ec2:GetManagedPrefixListEntries",
    "ec2:GetLaunchTemplateData",
    "ec2:GetInstanceTypesFromInstanceRequirements",
  ],
  ecr: ["ecr:DescribeRepositories", "ecr:GetAuthorizationToken"],
  eks: ["eks:Describe*", "eks:List*"],
  // SetWebAcl supports no resource: the load balancer controller attaches WAF ACLs through it.
  elasticloadbalancing: ["elasticloadbalancing:Describe*", "elasticloadbalancing:SetWebAcl"],
  kms: ["kms:DescribeKey", "kms:List*"],
  logs: ["logs:DescribeLogGroups"],
  s3: ["s3:ListAllMyBuckets"],
  secretsmanager: ["secretsmanager:ListSecrets"],
  shield: ["shield:DescribeProtection", "shield:GetSubscriptionState", "shield:CreateProtection"],
  sns: ["sns:ListTopics"],
  ssm: ["ssm:DescribeInstanceInformation"],
  tag: ["tag:GetResources"],
  "waf-regional": ["waf-regional:GetWebACLForResource"],
  wafv2: ["wafv2:GetWebACLForResource", "wafv2:GetWebACL"],
};

/** What the boundary keeps out of reach of every role that carries it (the audit trail and its parts). */
export interface ProtectedAudit {
  /** Trail name (`shipyard-<env>`). */
  readonly trailName: string;
  /** The trail's bucket. */
  readonly bucketName: string;
  /** The trail's CloudWatch Logs group. */
  readonly logGroupName: string;
  /** The role CloudTrail delivers to CloudWatch Logs with. */
  readonly deliveryRoleName: string;
  /** Tag (key and value) the audit key carries; every KMS action on keys with it is denied. */
  readonly keyTag: { readonly key: string; readonly value: string };
}

export interface PermissionsBoundaryProps {
  /** Name prefix, `shipyard-<env>`: the policy is `<name>-boundary`, roles are `<name>-*`. */
  readonly name: string;
  /** AWS account id (12 digits) of the environment. */
  readonly accountId: string;
  /** AWS region of the environment. */
  readonly region: string;
  /** @default "aws" */
  readonly partition?: string;
  /** Services (IAM prefixes) Shipyard roles may use at most. `iam` is handled separately. @default DEFAULT_BOUNDARY_SERVICES */
  readonly services?: readonly string[];
  /** ECR repositories of the environment. @default none */
  readonly repositoryNames?: readonly string[];
  /** The S3 state bucket, when the backend is `s3`. @default none */
  readonly stateBucket?: EnvironmentScopeProps["stateBucket"];
  /** The audit trail's resources, denied to every bounded role. @default none (no audit trail in this account) */
  readonly audit?: ProtectedAudit;
  /** Actions no bounded role gets on `*` in the region even though IAM cannot scope them (e.g. `kms:CreateKey`). @default none */
  readonly unscopedActions?: readonly string[];
  /** Services roles may be passed to. @default PASS_ROLE_SERVICES plus the IRSA/Pod Identity services */
  readonly passRoleServices?: readonly string[];
  /** Service-linked roles bounded roles may create. @default SERVICE_LINKED_ROLE_SERVICES */
  readonly serviceLinkedRoleServices?: readonly string[];
  /**
   * In the environment hosting the delivery pipeline: the other environments' deployer roles its deploy
   * agent may assume and the ECR repositories its image agent may push to (other accounts' ARNs, which the
   * service scopes above leave out). @default none (no pipeline runs in this account)
   */
  readonly pipeline?: { readonly assumeRoleArns: readonly string[]; readonly pushRepositoryArns: readonly string[] };
}

/** What pushing an image needs on a repository (ECR user guide, "pushing an image"); `ecr:GetAuthorizationToken` is account-wide. */
export const ECR_PUSH_ACTIONS = [
  "ecr:BatchCheckLayerAvailability",
  "ecr:BatchGetImage",
  "ecr:CompleteLayerUpload",
  "ecr:DescribeImages",
  "ecr:GetDownloadUrlForLayer",
  "ecr:InitiateLayerUpload",
  "ecr:PutImage",
  "ecr:UploadLayerPart",
] as const;

/**
 * The permissions boundary every role Shipyard creates carries (`shipyard-<env>-boundary`), created in
 * the bootstrap layer. A ceiling that is a boundary:
 *
 * - resources: every service is limited to this environment's ARNs (`serviceScope`: names
 *   `shipyard-<env>-*`, this account and region); `*` only for reads of metadata and the few actions IAM
 *   cannot scope, in this region;
 * - IAM: only roles, policies and instance profiles `shipyard-<env>-*` and the region's EKS OIDC
 *   providers; a role can only be created or given permissions with this boundary; roles can only be
 *   passed to the platform's services; policies can only be `shipyard-<env>-*`, so whatever a created
 *   policy says, it only ever lands on a bounded role;
 * - explicit denies: the boundary itself, the deployer role and its policies, removing any boundary,
 *   scheduling deletion of or disabling any key, and everything that could stop or rewrite the audit
 *   trail (the trail, its bucket and objects, its log group, its delivery role, and any use of its key).
 *
 * What IAM cannot express (the content of a role's trust policy) is checked on the synthesized output
 * instead (`src/policy/trust.ts`).
 */
export class PermissionsBoundary extends Construct {
  public readonly policyArn: string;
  public readonly policyName: string;
  /** The statements, for tests and reviews. */
  public readonly statements: readonly PolicyStatement[];

  constructor(scope: Construct, id: string, props: PermissionsBoundaryProps) {
    super(scope, id);
    this.statements = boundaryStatements(props);
    const document = new DataAwsIamPolicyDocument(this, "document", { statement: [...this.statements] });
    const policy = new IamPolicy(this, "policy", {
      name: boundaryPolicyName(props.name),
      description: `Permissions boundary of every ${props.name} role`,
      policy: document.json,
      tags: { Name: boundaryPolicyName(props.name) },
    });
    this.policyArn = policy.arn;
    this.policyName = policy.name;
  }
}

/** The boundary's statements (also used by the sufficiency analysis in `src/policy`). */
export function boundaryStatements(props: PermissionsBoundaryProps): PolicyStatement[] {
  const p = props.partition ?? "aws";
  const services = props.services ?? DEFAULT_BOUNDARY_SERVICES;
  services.forEach((s, i) => {
    if (!/^[a-z0-9-]+$/.test(s) || s === "iam" || s === "organizations" || s === "account" || s === "sts") {
      throw new ShipyardValidationError(
        `services[${i}]`,
        `${s} cannot be in the boundary's service list (expected a service prefix other than iam, sts, organizations, account)`,
      );
    }
  });
  const scope: EnvironmentScopeProps = {
    prefix: props.name,
    accountId: props.accountId,
    region: props.region,
    partition: p,
    repositoryNames: props.repositoryNames,
    stateBucket: props.stateBucket,
  };
  const { accountId: a, region: r } = props;
  const iamArn = (resource: string) => `arn:${p}:iam::${a}:${resource}`;
  const ownArn = boundaryPolicyArn(a, props.name, p);
  const deployer = roleName(props.name, "deployer");
  const inRegion = { test: "StringEquals", variable: "aws:RequestedRegion", values: [r] };
  const named = services.filter((s) => NAMED_SCOPE_SERVICES.includes(s));
  const regional = services.filter((s) => !NAMED_SCOPE_SERVICES.includes(s));
  const statements: PolicyStatement[] = [
    {
      sid: "RegionalServices",
      effect: "Allow",
      actions: regional.map((s) => `${s}:*`),
      // Services that name resources by id: this account and region (AMIs, snapshots and EKS parameters are AWS-owned).
      resources: [
        `arn:${p}:*:${r}:${a}:*`,
        `arn:${p}:ec2:${r}::image/*`,
        `arn:${p}:ec2:${r}::snapshot/*`,
        `arn:${p}:ssm:${r}::parameter/aws/service/*`,
        // Shield protections are global resources of the account.
        `arn:${p}:shield::${a}:protection/*`,
      ],
    },
    ...named.map((s) => ({
      sid: `Named${s.replace(/(^|-)([a-z])/g, (_m: string, _d: string, c: string) => c.toUpperCase())}`,
      effect: "Allow" as const,
      actions: [`${s}:*`],
      resources: serviceScope(s, scope),
    })),
    {
      sid: "RegionalMetadataReads",
      effect: "Allow",
      actions: unique([...services.flatMap((s) => REGIONAL_READS[s] ?? []), ...(props.unscopedActions ?? [])]).filter((x) =>
        services.includes(x.split(":")[0]!),
      ),
      resources: ["*"],
      condition: [inRegion],
    },
    {
      sid: "ShipyardIam",
      effect: "Allow",
      actions: [
        "iam:GetRole",
        "iam:GetRolePolicy",
        "iam:ListRolePolicies",
        "iam:ListAttachedRolePolicies",
        "iam:ListInstanceProfilesForRole",
        "iam:ListRoleTags",
        "iam:CreateRole",
        "iam:DeleteRole",
        "iam:UpdateRole",
        "iam:UpdateRoleDescription",
        "iam:UpdateAssumeRolePolicy",
        "iam:TagRole",
        "iam:UntagRole",
        "iam:PutRolePolicy",
        "iam:DeleteRolePolicy",
        "iam:AttachRolePolicy",
        "iam:DetachRolePolicy",
        "iam:PutRolePermissionsBoundary",
        "iam:GetPolicy",
        "iam:GetPolicyVersion",
        "iam:ListPolicyVersions",
        "iam:ListPolicyTags",
        "iam:ListEntitiesForPolicy",
        "iam:CreatePolicy",
        "iam:DeletePolicy",
        "iam:CreatePolicyVersion",
        "iam:DeletePolicyVersion",
        "iam:TagPolicy",
        "iam:UntagPolicy",
        "iam:GetInstanceProfile",
        "iam:CreateInstanceProfile",
        "iam:DeleteInstanceProfile",
        "iam:AddRoleToInstanceProfile",
        "iam:RemoveRoleFromInstanceProfile",
        "iam:TagInstanceProfile",
        "iam:UntagInstanceProfile",
        "iam:GetOpenIDConnectProvider",
        "iam:ListOpenIDConnectProviderTags",
        "iam:CreateOpenIDConnectProvider",
        "iam:DeleteOpenIDConnectProvider",
        "iam:UpdateOpenIDConnectProviderThumbprint",
        "iam:AddClientIDToOpenIDConnectProvider",
        "iam:RemoveClientIDFromOpenIDConnectProvider",
        "iam:TagOpenIDConnectProvider",
        "iam:UntagOpenIDConnectProvider",
      ],
      resources: serviceScope("iam", scope),
    },
    {
      sid: "PassRolesToPlatformServices",
      effect: "Allow",
      actions: ["iam:PassRole"],
      resources: [iamArn(`role/${props.name}-*`)],
      condition: [{ test: "StringEquals", variable: "iam:PassedToService", values: [...(props.passRoleServices ?? PASS_ROLE_SERVICES)] }],
    },
    {
      // The load balancer controller looks up IAM server certificates for HTTPS listeners.
      sid: "ReadServerCertificates",
      effect: "Allow",
      actions: ["iam:ListServerCertificates", "iam:GetServerCertificate"],
      resources: ["*"],
    },
    {
      sid: "ReadAwsManagedPolicies",
      effect: "Allow",
      actions: ["iam:GetPolicy", "iam:GetPolicyVersion"],
      resources: [`arn:${p}:iam::aws:policy/*`],
    },
    {
      sid: "ServiceLinkedRoles",
      effect: "Allow",
      actions: ["iam:CreateServiceLinkedRole"],
      resources: [iamArn("role/aws-service-role/*")],
      condition: [
        {
          test: "StringEquals",
          variable: "iam:AWSServiceName",
          values: [...(props.serviceLinkedRoleServices ?? SERVICE_LINKED_ROLE_SERVICES)],
        },
      ],
    },
    ...(props.pipeline && props.pipeline.assumeRoleArns.length > 0
      ? [
          {
            sid: "PipelineAssumesDeployers",
            effect: "Allow" as const,
            actions: ["sts:AssumeRole"],
            resources: [...props.pipeline.assumeRoleArns],
          },
        ]
      : []),
    ...(props.pipeline && props.pipeline.pushRepositoryArns.length > 0
      ? [
          {
            sid: "PipelinePushesImages",
            effect: "Allow" as const,
            actions: [...ECR_PUSH_ACTIONS],
            resources: [...props.pipeline.pushRepositoryArns],
          },
          { sid: "PipelineRegistryLogin", effect: "Allow" as const, actions: ["ecr:GetAuthorizationToken"], resources: ["*"] },
        ]
      : []),
    {
      sid: "DenyRolesWithoutBoundary",
      effect: "Deny",
      actions: [...BOUNDARY_ENFORCED_ACTIONS],
      resources: ["*"],
      condition: [{ test: "StringNotEquals", variable: "iam:PermissionsBoundary", values: [ownArn] }],
    },
    {
      sid: "DenyBoundaryRemoval",
      effect: "Deny",
      actions: ["iam:DeleteRolePermissionsBoundary", "iam:DeleteUserPermissionsBoundary"],
      resources: ["*"],
    },
    {
      sid: "DenyBoundaryChange",
      effect: "Deny",
      actions: [
        "iam:CreatePolicyVersion",
        "iam:DeletePolicyVersion",
        "iam:SetDefaultPolicyVersion",
        "iam:DeletePolicy",
        "iam:TagPolicy",
        "iam:UntagPolicy",
      ],
      resources: [ownArn],
    },
    {
      sid: "DenyDeployerSelfChange",
      effect: "Deny",
      actions: [
        "iam:UpdateAssumeRolePolicy",
        "iam:UpdateRole",
        "iam:DeleteRole",
        "iam:PutRolePolicy",
        "iam:DeleteRolePolicy",
        "iam:AttachRolePolicy",
        "iam:DetachRolePolicy",
        "iam:PutRolePermissionsBoundary",
        "iam:TagRole",
        "iam:UntagRole",
        "iam:CreatePolicyVersion",
        "iam:DeletePolicyVersion",
        "iam:SetDefaultPolicyVersion",
        "iam:DeletePolicy",
        "iam:TagPolicy",
        "iam:UntagPolicy",
      ],
      resources: [iamArn(`role/${deployer}`), iamArn(`policy/${deployer}-*`)],
    },
    {
      sid: "DenyKeyDestruction",
      effect: "Deny",
      actions: ["kms:ScheduleKeyDeletion", "kms:DisableKey", "kms:DisableKeyRotation"],
      resources: ["*"],
    },
  ];
  if (props.audit) statements.push(...auditDenies(props.audit, p, a, r));
  return statements;
}

function auditDenies(audit: ProtectedAudit, p: string, a: string, r: string): PolicyStatement[] {
  return [
    {
      sid: "DenyAuditTrailChanges",
      effect: "Deny",
      notActions: ["cloudtrail:Get*", "cloudtrail:Describe*", "cloudtrail:List*", "cloudtrail:LookupEvents"],
      resources: [`arn:${p}:cloudtrail:*:${a}:trail/${audit.trailName}`],
    },
    {
      sid: "DenyAuditBucketChanges",
      effect: "Deny",
      notActions: ["s3:GetBucketLocation", "s3:GetBucketPolicyStatus", "s3:GetBucketTagging", "s3:ListBucket"],
      resources: [`arn:${p}:s3:::${audit.bucketName}`, `arn:${p}:s3:::${audit.bucketName}/*`],
    },
    {
      sid: "DenyAuditLogGroupChanges",
      effect: "Deny",
      notActions: [
        "logs:DescribeLogGroups",
        "logs:ListTagsForResource",
        "logs:ListTagsLogGroup",
        "logs:CreateLogStream",
        "logs:PutLogEvents",
        "logs:DescribeLogStreams",
      ],
      resources: [`arn:${p}:logs:${r}:${a}:log-group:${audit.logGroupName}`, `arn:${p}:logs:${r}:${a}:log-group:${audit.logGroupName}:*`],
    },
    {
      sid: "DenyAuditDeliveryRoleChanges",
      effect: "Deny",
      notActions: ["iam:GetRole", "iam:ListRolePolicies", "iam:GetRolePolicy", "iam:ListAttachedRolePolicies", "iam:ListRoleTags"],
      resources: [`arn:${p}:iam::${a}:role/${audit.deliveryRoleName}`],
    },
    {
      sid: "DenyAuditKeyUse",
      effect: "Deny",
      actions: ["kms:*"],
      resources: ["*"],
      condition: [{ test: "StringEquals", variable: `aws:ResourceTag/${audit.keyTag.key}`, values: [audit.keyTag.value] }],
    },
  ];
}
