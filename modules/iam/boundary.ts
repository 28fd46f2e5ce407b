import { Construct } from "constructs";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { ShipyardValidationError } from "../core";
import { boundaryPolicyArn, boundaryPolicyName, roleName } from "./naming";
import type { PolicyStatement } from "./policy";

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
}

/**
 * The permissions boundary every role Shipyard creates carries (`shipyard-<env>-boundary`). It caps
 * what any grant can give: the platform's services; IAM only on `shipyard-<env>-*` roles and policies
 * and EKS OIDC providers; no role without this boundary; no change to the boundary itself or to the
 * deployer role; no boundary removal. Other stacks use its deterministic ARN (`boundaryPolicyArn()`),
 * which needs no cross-stack reference because foundation is always applied first.
 */
export class PermissionsBoundary extends Construct {
  public readonly policyArn: string;
  public readonly policyName: string;
  /** The statements, for tests and reviews. */
  public readonly statements: readonly PolicyStatement[];

  constructor(scope: Construct, id: string, props: PermissionsBoundaryProps) {
    super(scope, id);
    const p = props.partition ?? "aws";
    const services = props.services ?? DEFAULT_BOUNDARY_SERVICES;
    services.forEach((s, i) => {
      if (!/^[a-z0-9-]+$/.test(s) || s === "iam" || s === "organizations" || s === "account") {
        throw new ShipyardValidationError(`services[${i}]`, `${s} cannot be in the boundary's service list (expected a service prefix other than iam, organizations, account)`);
      }
    });
    const iamArn = (resource: string) => `arn:${p}:iam::${props.accountId}:${resource}`;
    const ownArn = boundaryPolicyArn(props.accountId, props.name, p);
    const deployer = roleName(props.name, "deployer");
    this.statements = [
      {
        sid: "PlatformServices",
        effect: "Allow",
        actions: services.map((s) => `${s}:*`),
        // A ceiling: the grants themselves name resources.
        resources: ["*"],
      },
      {
        sid: "ShipyardIam",
        effect: "Allow",
        actions: [
          "iam:Get*",
          "iam:List*",
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
          "iam:PassRole",
          "iam:CreatePolicy",
          "iam:DeletePolicy",
          "iam:CreatePolicyVersion",
          "iam:DeletePolicyVersion",
          "iam:TagPolicy",
          "iam:UntagPolicy",
          "iam:CreateOpenIDConnectProvider",
          "iam:DeleteOpenIDConnectProvider",
          "iam:UpdateOpenIDConnectProviderThumbprint",
          "iam:AddClientIDToOpenIDConnectProvider",
          "iam:RemoveClientIDFromOpenIDConnectProvider",
          "iam:TagOpenIDConnectProvider",
          "iam:UntagOpenIDConnectProvider",
        ],
        resources: [
          iamArn(`role/${props.name}-*`),
          iamArn(`policy/${props.name}-*`),
          iamArn(`oidc-provider/oidc.eks.${props.region}.amazonaws.com/id/*`),
        ],
      },
      {
        sid: "IamReadAndServiceLinkedRoles",
        effect: "Allow",
        actions: ["iam:Get*", "iam:List*", "iam:CreateServiceLinkedRole"],
        resources: ["*"],
      },
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
        actions: ["iam:CreatePolicyVersion", "iam:DeletePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:DeletePolicy", "iam:TagPolicy", "iam:UntagPolicy"],
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
        ],
        resources: [iamArn(`role/${deployer}`), iamArn(`policy/${deployer}-*`)],
      },
    ];
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
