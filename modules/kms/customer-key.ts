import { Construct } from "constructs";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { ShipyardValidationError } from "../core";
import { type PolicyStatement, unique, validatePrincipalArns } from "../iam/policy";

/**
 * What a key administrator may do: manage the key and its policy, never use it to encrypt or decrypt
 * (the standard AWS administrator statement). `kms:Put*` includes `kms:PutKeyPolicy`, which is what
 * keeps the key manageable.
 */
export const KEY_ADMINISTRATOR_ACTIONS: readonly string[] = [
  "kms:Create*",
  "kms:Describe*",
  "kms:Enable*",
  "kms:List*",
  "kms:Put*",
  "kms:Update*",
  "kms:Revoke*",
  "kms:Disable*",
  "kms:Get*",
  "kms:Delete*",
  "kms:TagResource",
  "kms:UntagResource",
  "kms:ScheduleKeyDeletion",
  "kms:CancelKeyDeletion",
  "kms:RotateKeyOnDemand",
];

export const MIN_DELETION_WINDOW_DAYS = 7;
export const MAX_DELETION_WINDOW_DAYS = 30;

export interface CustomerKeyProps {
  /** Alias without the `alias/` prefix, e.g. `shipyard-prod-ebs`. */
  readonly alias: string;
  /** Key description (what the key protects). */
  readonly description: string;
  /**
   * Principals that administer the key, named in `Principal` (they must exist when the key is created).
   * At least one; an account root (`arn:aws:iam::<acct>:root`) is refused because it hides who administers.
   */
  readonly administratorArns: readonly string[];
  /** Statements for the principals and services that use the key. @default none */
  readonly statements?: readonly PolicyStatement[];
  /** Days a scheduled deletion can be cancelled, 7-30. @default 30 */
  readonly deletionWindowDays?: number;
  /** Days between automatic rotations, 90-2560. @default 365 */
  readonly rotationPeriodDays?: number;
  /**
   * Let identity policies grant use of the key (encrypt, decrypt, data keys, describe, grants for AWS
   * resources) to the principals matching these ARN patterns, e.g. `arn:aws:iam::<acct>:role/shipyard-prod-*`
   * (roles that all carry the permissions boundary). Without this, a KMS statement in an identity policy
   * grants nothing: KMS consults IAM only when the key policy delegates to the account. Never `kms:*`,
   * never administration, never the whole account. @default none
   */
  readonly identityPolicyPrincipalPatterns?: readonly string[];
  /** Extra tags (e.g. the audit key's protection tag the permissions boundary matches). @default none */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * A symmetric customer key with automatic rotation, an alias, and a key policy that names its
 * administrators. No lock-out: the administrators keep `kms:PutKeyPolicy`, and KMS's own lock-out
 * safety check stays on (`bypass_policy_lockout_safety_check = false`), so AWS refuses a policy
 * that would stop the principal applying it from changing it again.
 */
export class CustomerKey extends Construct {
  public readonly keyArn: string;
  public readonly keyId: string;
  public readonly aliasName: string;
  public readonly aliasArn: string;
  /** The key policy's statements, for tests and the policy analysis. */
  public readonly statements: readonly PolicyStatement[];

  constructor(scope: Construct, id: string, props: CustomerKeyProps) {
    super(scope, id);
    const window = props.deletionWindowDays ?? MAX_DELETION_WINDOW_DAYS;
    if (!Number.isInteger(window) || window < MIN_DELETION_WINDOW_DAYS || window > MAX_DELETION_WINDOW_DAYS) {
      throw new ShipyardValidationError("deletionWindowDays", `expected a whole number of days from 7 to 30, got ${window}`);
    }
    const rotation = props.rotationPeriodDays ?? 365;
    if (!Number.isInteger(rotation) || rotation < 90 || rotation > 2560) {
      throw new ShipyardValidationError("rotationPeriodDays", `expected a whole number of days from 90 to 2560, got ${rotation}`);
    }
    if (!/^[a-zA-Z0-9/_-]{1,250}$/.test(props.alias) || props.alias.startsWith("aws/") || props.alias.startsWith("alias/")) {
      throw new ShipyardValidationError(
        "alias",
        `${props.alias} is not a valid alias name (expected e.g. shipyard-prod-ebs, without alias/)`,
      );
    }
    if (props.administratorArns.length === 0) {
      throw new ShipyardValidationError(
        "administratorArns",
        "a key with no administrators can never be managed again (expected at least one role or user ARN)",
      );
    }
    validatePrincipalArns("administratorArns", props.administratorArns, { minimum: 1 });
    const statements = props.statements ?? [];
    validateStatements(statements);

    const patterns = props.identityPolicyPrincipalPatterns ?? [];
    patterns.forEach((pattern, i) => {
      if (!/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+\*?$/.test(pattern) || pattern.endsWith(":role/*")) {
        throw new ShipyardValidationError(
          `identityPolicyPrincipalPatterns[${i}]`,
          `${pattern} is not a role ARN pattern with a name prefix (expected e.g. arn:aws:iam::123456789012:role/shipyard-prod-*)`,
        );
      }
    });
    const account = patterns[0]?.split(":")[4];
    const delegation: PolicyStatement[] =
      patterns.length > 0
        ? [
            {
              sid: "IdentityPoliciesOfEnvironmentRoles",
              effect: "Allow",
              principals: [{ type: "AWS", identifiers: [`arn:${patterns[0]!.split(":")[1]}:iam::${account}:root`] }],
              actions: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
              resources: ["*"],
              condition: [{ test: "ArnLike", variable: "aws:PrincipalArn", values: [...patterns] }],
            },
            {
              sid: "IdentityPoliciesOfEnvironmentRolesGrants",
              effect: "Allow",
              principals: [{ type: "AWS", identifiers: [`arn:${patterns[0]!.split(":")[1]}:iam::${account}:root`] }],
              actions: ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
              resources: ["*"],
              condition: [
                { test: "ArnLike", variable: "aws:PrincipalArn", values: [...patterns] },
                { test: "Bool", variable: "kms:GrantIsForAWSResource", values: ["true"] },
              ],
            },
          ]
        : [];
    this.statements = [
      {
        sid: "KeyAdministrators",
        effect: "Allow",
        principals: [{ type: "AWS", identifiers: unique(props.administratorArns) }],
        actions: [...KEY_ADMINISTRATOR_ACTIONS],
        // In a key policy `*` means this key.
        resources: ["*"],
      },
      ...delegation,
      ...statements,
    ];
    const policy = new DataAwsIamPolicyDocument(this, "policy", { statement: [...this.statements] });
    const key = new KmsKey(this, "key", {
      description: props.description,
      keyUsage: "ENCRYPT_DECRYPT",
      customerMasterKeySpec: "SYMMETRIC_DEFAULT",
      enableKeyRotation: true,
      rotationPeriodInDays: rotation,
      deletionWindowInDays: window,
      multiRegion: false,
      bypassPolicyLockoutSafetyCheck: false,
      policy: policy.json,
      tags: { ...props.tags, Name: props.alias },
    });
    const alias = new KmsAlias(this, "alias", { name: `alias/${props.alias}`, targetKeyId: key.keyId });
    this.keyArn = key.arn;
    this.keyId = key.keyId;
    this.aliasName = alias.name;
    this.aliasArn = alias.arn;
  }
}

function validateStatements(statements: readonly PolicyStatement[]): void {
  const sids = new Set<string>(["KeyAdministrators", "IdentityPoliciesOfEnvironmentRoles", "IdentityPoliciesOfEnvironmentRolesGrants"]);
  statements.forEach((s, i) => {
    const path = `statements[${i}]`;
    if (!s.sid) throw new ShipyardValidationError(`${path}.sid`, "every key policy statement needs a sid");
    if (sids.has(s.sid)) throw new ShipyardValidationError(`${path}.sid`, `duplicate sid ${s.sid}`);
    sids.add(s.sid);
    if ((s.actions ?? []).some((a) => a === "*" || a === "kms:*")) {
      throw new ShipyardValidationError(
        `${path}.actions`,
        "kms:* or * grants everything, including the key policy (expected specific actions)",
      );
    }
    const everyone = (s.principals ?? []).some((p) => (p.identifiers ?? []).includes("*"));
    if (
      everyone &&
      s.effect !== "Deny" &&
      !(s.condition ?? []).some((c) => c.variable === "aws:PrincipalArn" || c.variable === "aws:SourceArn")
    ) {
      throw new ShipyardValidationError(`${path}.principals`, "Principal * needs an aws:PrincipalArn condition naming who may use the key");
    }
  });
}
