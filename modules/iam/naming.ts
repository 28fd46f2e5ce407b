import { AWS_ACCOUNT_ID } from "../core/aws";
import { IRSA_ADDONS } from "./irsa-addons";

/**
 * Names and ARNs that cross layer boundaries. A later stack creates these roles; earlier stacks name
 * them in resource policies through their deterministic ARNs (inside `aws:PrincipalArn` conditions,
 * never in `Principal`, because AWS refuses a policy whose Principal names a role that does not exist
 * yet). One function per name so every layer spells it the same way.
 *
 * | role / policy | created by | name |
 * | --- | --- | --- |
 * | permissions boundary (managed policy) | bootstrap | `shipyard-<env>-boundary` |
 * | Jenkins deployer role | bootstrap | `shipyard-<env>-deployer` |
 * | EKS cluster role | cluster | `shipyard-<env>-cluster` |
 * | node role (all managed node groups) | cluster | `shipyard-<env>-node` |
 * | IRSA role of each add-on in `IRSA_ADDONS` (used by the cluster and platform layers) | cluster | `shipyard-<env>-<addon>`, e.g. `shipyard-<env>-velero` |
 *
 * Other names several layers (and the Ansible variables) share are here too, for the same reason:
 *
 * | name | created by | used by |
 * | --- | --- | --- |
 * | Secrets Manager secret `shipyard-<env>/<name>` | foundation (modules/secrets) | cluster (External Secrets role scope), workloads (ExternalSecret), generated/ansible |
 * | SSM staging bucket `shipyard-<env>-ssm-<account>` | foundation | generated/ansible (Ansible's SSM connection) |
 */

/** `shipyard-<env>`: the prefix of every named resource of one environment. */
export type NamePrefix = string;

/**
 * Every role Shipyard names `shipyard-<env>-<role>`: the deployer, the cluster and node roles, and one IRSA
 * role per add-on (`IRSA_ADDONS`). The one vocabulary of role names: every layer and the cross-environment
 * checks name roles from it.
 */
export const SHIPYARD_ROLES = ["deployer", "cluster", "node", ...IRSA_ADDONS] as const;
export type ShipyardRole = (typeof SHIPYARD_ROLES)[number];

/** `shipyard-<env>-<role>`, e.g. `shipyard-prod-node` or `shipyard-prod-cluster-autoscaler`. */
export function roleName(prefix: NamePrefix, role: ShipyardRole): string {
  return `${prefix}-${role}`;
}

/** `arn:<partition>:iam::<account>:role/shipyard-<env>-<role>` (no path). */
export function roleArn(accountId: string, prefix: NamePrefix, role: ShipyardRole, partition = "aws"): string {
  return `arn:${partition}:iam::${accountId}:role/${roleName(prefix, role)}`;
}

/** `shipyard-<env>/<name>`: a Secrets Manager secret's name (the prefix the secrets key policy and the External Secrets role are scoped to). */
export function secretName(prefix: NamePrefix, name: string): string {
  return `${prefix}/${name}`;
}

/** `shipyard-<env>-backups-<account>`: Velero's bucket (bucket names are global, hence the account). */
export function backupBucketName(prefix: NamePrefix, accountId: string): string {
  return `${prefix}-backups-${accountId}`;
}

/** `shipyard-<env>-alerts`: the SNS topic Alertmanager sends ticket alerts to. */
export function alertsTopicName(prefix: NamePrefix): string {
  return `${prefix}-alerts`;
}

/** `shipyard-<env>-ssm-<account>`: the bucket Ansible's SSM connection stages module files in. */
export function ssmBucketName(prefix: NamePrefix, accountId: string): string {
  return `${prefix}-ssm-${accountId}`;
}

/** `shipyard-<env>-boundary`: the permissions boundary every Shipyard role carries. */
export function boundaryPolicyName(prefix: NamePrefix): string {
  return `${prefix}-boundary`;
}

/** `arn:<partition>:iam::<account>:policy/shipyard-<env>-boundary`: usable by any stack without a cross-stack reference. */
export function boundaryPolicyArn(accountId: string, prefix: NamePrefix, partition = "aws"): string {
  return `arn:${partition}:iam::${accountId}:policy/${boundaryPolicyName(prefix)}`;
}

/** The EC2 Auto Scaling service-linked role that launches node-group instances with encrypted volumes. */
export function autoScalingServiceLinkedRoleArn(accountId: string, partition = "aws"): string {
  return `arn:${partition}:iam::${accountId}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`;
}

/**
 * The value `aws:PrincipalArn` takes for a principal: an assumed-role session ARN
 * (`arn:aws:sts::<acct>:assumed-role/<role>/<session>`) becomes its role ARN; role and user ARNs stay.
 */
export function principalArnForCondition(arn: string): string {
  const m = /^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(arn);
  return m ? `arn:${m[1]}:iam::${m[2]}:role/${m[3]}` : arn;
}

/** True for `arn:<partition>:iam::<account>:root` (the whole account, which hides who really has access). */
export function isAccountRootArn(arn: string): boolean {
  return /^arn:aws[a-z-]*:iam::\d{12}:root$/.test(arn) || AWS_ACCOUNT_ID.test(arn);
}
