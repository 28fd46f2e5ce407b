import { Construct } from "constructs";
import { DataAwsIamPolicyDocument, type DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { DNS_LABEL as NAMESPACE, IAM_ROLE_NAME, ShipyardValidationError } from "../core";

/** Kubernetes names: DNS-1123 labels for namespaces, DNS-1123 subdomains for service accounts. */
const SERVICE_ACCOUNT = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
const MANAGED_POLICY_ARN = /^arn:aws(-[a-z]+)?:iam::(aws|\d{12}):policy\/[\w+=,.@\/-]+$/;
const BOUNDARY_ARN = /^arn:aws(-[a-z]+)?:iam::\d{12}:policy\/[\w+=,.@\/-]+$/;

export interface IrsaRoleProps {
  /** IAM role name, e.g. `shipyard-prod-ebs-csi`. Deterministic, so other layers can build its ARN. */
  readonly roleName: string;
  /** ARN of the cluster's IAM OIDC provider (`aws_iam_openid_connect_provider.arn`). */
  readonly oidcProviderArn: string;
  /**
   * The issuer without its scheme, e.g. `oidc.eks.eu-west-1.amazonaws.com/id/ABC…`; the prefix of the
   * `:sub` and `:aud` condition keys.
   */
  readonly oidcIssuer: string;
  /** The one namespace whose service account may assume the role. Wildcards are refused. */
  readonly namespace: string;
  /** The one service account that may assume the role. Wildcards are refused. */
  readonly serviceAccount: string;
  /** Permissions boundary attached to the role; every Shipyard role carries one. */
  readonly permissionsBoundaryArn: string;
  /** AWS or customer managed policies to attach. @default none */
  readonly managedPolicyArns?: readonly string[];
  /**
   * Statements of the role's inline policy. A `*` action (or `service:*`) is refused; scope resources where
   * the service allows it. @default no inline policy
   */
  readonly statements?: readonly DataAwsIamPolicyDocumentStatement[];
  /** @default "IRSA role for <namespace>/<serviceAccount>" */
  readonly description?: string;
  /** Seconds a web-identity session may last. @default 3600 */
  readonly maxSessionDuration?: number;
}

/**
 * An IAM role for a Kubernetes service account (IRSA). Its trust policy allows `sts:AssumeRoleWithWebIdentity`
 * from the cluster's OIDC provider for exactly one `system:serviceaccount:<namespace>:<name>` subject with the
 * `sts.amazonaws.com` audience (both `StringEquals`), and the role carries the environment's permissions
 * boundary.
 */
export class IrsaRole extends Construct {
  public readonly roleArn: string;
  public readonly roleName: string;
  /** `system:serviceaccount:<namespace>:<serviceAccount>`. */
  public readonly subject: string;

  constructor(scope: Construct, id: string, props: IrsaRoleProps) {
    super(scope, id);
    validateIrsaProps(props);
    this.subject = `system:serviceaccount:${props.namespace}:${props.serviceAccount}`;

    const trust = new DataAwsIamPolicyDocument(this, "trust", {
      statement: [
        {
          sid: "ServiceAccountWebIdentity",
          effect: "Allow",
          actions: ["sts:AssumeRoleWithWebIdentity"],
          principals: [{ type: "Federated", identifiers: [props.oidcProviderArn] }],
          condition: [
            { test: "StringEquals", variable: `${props.oidcIssuer}:sub`, values: [this.subject] },
            { test: "StringEquals", variable: `${props.oidcIssuer}:aud`, values: ["sts.amazonaws.com"] },
          ],
        },
      ],
    });

    const role = new IamRole(this, "role", {
      name: props.roleName,
      description: props.description ?? `IRSA role for ${props.namespace}/${props.serviceAccount}`,
      assumeRolePolicy: trust.json,
      permissionsBoundary: props.permissionsBoundaryArn,
      maxSessionDuration: props.maxSessionDuration ?? 3600,
    });

    (props.managedPolicyArns ?? []).forEach((arn, i) => {
      new IamRolePolicyAttachment(this, `managed-${i}`, { role: role.name, policyArn: arn });
    });

    if (props.statements && props.statements.length > 0) {
      const policy = new DataAwsIamPolicyDocument(this, "policy", { statement: [...props.statements] });
      new IamRolePolicy(this, "inline", { name: props.roleName, role: role.id, policy: policy.json });
    }

    this.roleArn = role.arn;
    this.roleName = role.name;
  }
}

function validateIrsaProps(props: IrsaRoleProps): void {
  if (!IAM_ROLE_NAME.test(props.roleName)) {
    throw new ShipyardValidationError("roleName", `"${props.roleName}" is not a valid IAM role name (expected 1-64 of [A-Za-z0-9+=,.@_-])`);
  }
  if (!NAMESPACE.test(props.namespace)) {
    throw new ShipyardValidationError(
      "namespace",
      `"${props.namespace}" is not one Kubernetes namespace (expected a DNS label; wildcards are refused)`,
    );
  }
  if (!SERVICE_ACCOUNT.test(props.serviceAccount)) {
    throw new ShipyardValidationError(
      "serviceAccount",
      `"${props.serviceAccount}" is not one service account name (expected a DNS subdomain; wildcards are refused)`,
    );
  }
  if (!BOUNDARY_ARN.test(props.permissionsBoundaryArn)) {
    throw new ShipyardValidationError("permissionsBoundaryArn", `"${props.permissionsBoundaryArn}" is not a customer managed policy ARN`);
  }
  (props.managedPolicyArns ?? []).forEach((arn, i) => {
    if (!MANAGED_POLICY_ARN.test(arn)) throw new ShipyardValidationError(`managedPolicyArns[${i}]`, `"${arn}" is not a managed policy ARN`);
  });
  checkStatements(props.statements ?? [], "statements");
}

/**
 * Refuses statements that grant every action: `*`, `service:*`, `notActions`, or an Allow without actions.
 * Exported for the other modules that build policies.
 */
export function checkStatements(statements: readonly DataAwsIamPolicyDocumentStatement[], path: string): void {
  statements.forEach((statement, i) => {
    const where = `${path}[${i}]${statement.sid ? ` (${statement.sid})` : ""}`;
    if (statement.notActions && statement.notActions.length > 0) {
      throw new ShipyardValidationError(where, "notActions grants everything not listed (expected explicit actions)");
    }
    const actions = statement.actions ?? [];
    if (actions.length === 0) throw new ShipyardValidationError(where, "has no actions (expected at least one service:Action)");
    for (const action of actions) {
      if (action === "*" || /^[a-z0-9-]+:\*$/.test(action)) {
        throw new ShipyardValidationError(where, `action "${action}" grants every action (expected specific actions)`);
      }
      if (!/^[a-z0-9-]+:[A-Za-z0-9]+\*?$/.test(action)) {
        throw new ShipyardValidationError(where, `"${action}" is not an IAM action (expected service:Action)`);
      }
    }
    if (!statement.resources || statement.resources.length === 0) {
      throw new ShipyardValidationError(where, "has no resources (expected the ARNs the actions apply to)");
    }
  });
}
