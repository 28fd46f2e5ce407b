/**
 * Checkov checks Shipyard does not pass, each listed once with the reason. Two kinds:
 *
 * - skipped everywhere (`waivable: false`): the check does not fit what the resource is, or the control
 *   lives elsewhere; an entry may be limited to resources it `appliesTo`, judged by content (never by a
 *   logical id);
 * - waivable: skipped only in an environment whose `protection.waivedChecks` names the check, which the
 *   config refuses without a `protection.waiverReason`.
 *
 * `__tests__/policies/checkov.test.ts` requires zero failed checks after these, for every environment.
 */

/** What a skip is judged against: the failing resource's type, address and synthesized body. */
export interface CheckovSubject {
  /** `aws_s3_bucket`, `aws_iam_policy_document` (for `data.` addresses) … */
  readonly type: string;
  /** `resource.<type>.<name>`, `<type>.<name>` or `data.<type>.<name>` as Checkov reports it. */
  readonly address: string;
  /** The block as synthesized, when found. */
  readonly body?: Record<string, unknown>;
}

export interface CheckovSkip {
  readonly id: string;
  readonly reason: string;
  /** Skipped only where `protection.waivedChecks` names it (with a waiver reason). */
  readonly waivable: boolean;
  /** Limits the skip to matching resources. @default every resource the check fails on */
  readonly appliesTo?: (subject: CheckovSubject) => boolean;
}

interface Statement {
  sid?: string;
  effect?: string;
  principals?: unknown[];
  actions?: string[];
}

const statementsOf = (s: CheckovSubject): Statement[] => (s.body?.statement as Statement[] | undefined) ?? [];
/** A resource policy (key policy): every statement names its principals, and `Resource: *` means the resource itself. */
const isResourcePolicy = (s: CheckovSubject) =>
  s.type === "aws_iam_policy_document" && statementsOf(s).length > 0 && statementsOf(s).every((x) => x.principals !== undefined);
/** The permissions boundary: a ceiling, never a grant (its `*` statements are region-limited reads and unscopable actions). */
const isBoundary = (s: CheckovSubject) =>
  s.type === "aws_iam_policy_document" && statementsOf(s).some((x) => x.sid === "DenyRolesWithoutBoundary");
/** The AWS Load Balancer Controller's upstream policy: creates on `*` limited by the `elbv2.k8s.aws/cluster` request tag. */
const isLoadBalancerControllerPolicy = (s: CheckovSubject) =>
  s.type === "aws_iam_policy_document" &&
  statementsOf(s).some((x) => (x.actions ?? []).includes("elasticloadbalancing:CreateLoadBalancer"));

export const CHECKOV_SKIPS: readonly CheckovSkip[] = [
  {
    id: "CKV_AWS_109",
    reason: "flags KMS key policies as identity policies: in a key policy `Resource: *` is the key itself and the principals are named",
    waivable: false,
    appliesTo: isResourcePolicy,
  },
  {
    id: "CKV_AWS_111",
    reason: "flags KMS key policies as identity policies: in a key policy `Resource: *` is the key itself and the principals are named",
    waivable: false,
    appliesTo: isResourcePolicy,
  },
  {
    id: "CKV_AWS_356",
    reason:
      "key policies (`*` is the key), the permissions boundary (a ceiling: `*` only for region-limited metadata reads and unscopable actions) and the load balancer controller's upstream policy (creates limited by request tag); the deployer's own policies pass",
    waivable: false,
    appliesTo: (s) => isResourcePolicy(s) || isBoundary(s) || isLoadBalancerControllerPolicy(s),
  },
  {
    id: "CKV_AWS_18",
    reason:
      "S3 server access logs would need yet another bucket (failing the same check); CloudTrail records bucket API calls, and S3 data events of the backup bucket when audit.s3DataEvents is on",
    waivable: false,
  },
  {
    id: "CKV2_AWS_62",
    reason:
      "nothing consumes S3 event notifications for these buckets (backups, SSM staging, audit logs, state); configuring an unused destination adds a resource to secure for nothing",
    waivable: false,
  },
  {
    id: "CKV_AWS_144",
    reason:
      "cross-region replication is not built yet: backups and audit logs stay in the environment's region (a known gap: a replica bucket, key and role per environment); versioning and prevent_destroy protect against deletion",
    waivable: false,
  },
  {
    id: "CKV_AWS_252",
    reason: "the trail delivers to CloudWatch Logs, where alerts are defined; an SNS message per log file delivered is noise",
    waivable: false,
  },
  {
    id: "CKV2_AWS_57",
    reason:
      "the secrets hold third-party credentials (PagerDuty, Slack, heartbeat tokens, Grafana admin) that their owners rotate through the put-secret-value runbook; no rotation function can rotate them",
    waivable: false,
  },
  {
    id: "CKV_AWS_339",
    reason:
      "Checkov 3.3.30's list of supported EKS versions ends before the version Shipyard pins; the cluster stack refuses versions outside standard support itself",
    waivable: false,
  },
  {
    id: "CKV_K8S_15",
    reason:
      "ECR tags are immutable, so the image behind a tag never changes: IfNotPresent pulls the same bytes as Always without a registry call per start",
    waivable: false,
  },
  {
    id: "CKV_K8S_43",
    reason:
      "the image tag is the commit, set at deploy time as a Terraform variable (so the synthesized JSON does not change per build); ECR tag immutability makes it as fixed as a digest",
    waivable: false,
  },
  {
    id: "CKV_AWS_338",
    reason: "log retention under a year: a cost decision for non-production tiers (prod keeps a year or more)",
    waivable: true,
  },
  {
    id: "CKV_AWS_39",
    reason: "a public API endpoint limited to named CIDRs (e.g. the office network for dev); never 0.0.0.0/0, which the config refuses",
    waivable: true,
  },
];

/** The skip entry for a check, if any. */
export function checkovSkip(id: string): CheckovSkip | undefined {
  return CHECKOV_SKIPS.find((s) => s.id === id);
}
