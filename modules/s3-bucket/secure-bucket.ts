import { Construct } from "constructs";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { ShipyardValidationError } from "../core";
import { type PolicyStatement, denyInsecureTransport, principalArnForCondition, unique, validatePrincipalArns } from "../iam";

export type StorageClass = "STANDARD_IA" | "ONEZONE_IA" | "INTELLIGENT_TIERING" | "GLACIER_IR" | "GLACIER" | "DEEP_ARCHIVE";

/** Object data actions that the restriction statement keeps to the named principals. */
export const OBJECT_DATA_ACTIONS: readonly string[] = [
  "s3:GetObject",
  "s3:GetObjectVersion",
  "s3:PutObject",
  "s3:DeleteObject",
  "s3:DeleteObjectVersion",
];

export interface BucketGrant {
  /** Statement id, unique in the bucket policy. */
  readonly sid: string;
  /** IAM role/user ARNs (named in `aws:PrincipalArn`, so they may be created later). */
  readonly roleArns?: readonly string[];
  /** Service principals, e.g. `cloudtrail.amazonaws.com`; give them a `aws:SourceArn`/`aws:SourceAccount` condition. */
  readonly services?: readonly string[];
  /** S3 actions; `s3:*` and `*` are refused. */
  readonly actions: readonly string[];
  /** `bucket` for the bucket ARN, otherwise an object key pattern such as `AWSLogs/123456789012/*`. */
  readonly resources: readonly string[];
  readonly conditions?: PolicyStatement["condition"];
}

export interface BucketLifecycle {
  /** Move current versions to another storage class after N days. @default none */
  readonly transitions?: readonly { readonly days: number; readonly storageClass: StorageClass }[];
  /** Expire current versions after N days. @default never */
  readonly expirationDays?: number;
  /** Delete noncurrent versions N days after they become noncurrent. @default the expiration, or 90 */
  readonly noncurrentVersionExpirationDays?: number;
  /** Move noncurrent versions after N days. @default none */
  readonly noncurrentVersionTransitions?: readonly { readonly days: number; readonly storageClass: StorageClass }[];
  /** Abort multipart uploads left incomplete after N days. @default 7 */
  readonly abortIncompleteMultipartUploadDays?: number;
}

export interface SecureBucketProps {
  /** Globally unique name, 3-63 characters (lower case, digits, `-`), e.g. `shipyard-prod-backups-333333333333`. */
  readonly bucketName: string;
  /** Customer key for SSE-KMS (default encryption, with an S3 bucket key). */
  readonly kmsKeyArn: string;
  /** Who may do what; everyone else is denied object data access when `restrictObjectAccess` is on. */
  readonly grants: readonly BucketGrant[];
  /**
   * Deny object reads, writes and deletes to every principal that no grant names (roles by
   * `aws:PrincipalArn`, services by `aws:PrincipalServiceName`), including same-account principals whose
   * IAM policies would otherwise allow it. Bucket configuration stays manageable by the deployer.
   * @default true
   */
  readonly restrictObjectAccess?: boolean;
  /**
   * Principals exempt from the object-access restriction (their own IAM policies decide), e.g. the
   * administrators who read trail logs or empty a bucket before it is destroyed. @default none
   */
  readonly trustedPrincipalArns?: readonly string[];
  /** Lifecycle rules of the bucket. @default none */
  readonly lifecycle?: BucketLifecycle;
  /**
   * Shipyard never creates a public bucket: `false` is refused.
   * @default true
   */
  readonly blockPublicAccess?: boolean;
  /** Let `terraform destroy` delete a bucket that still holds objects. @default false */
  readonly forceDestroy?: boolean;
}

/**
 * A private S3 bucket: public access blocked, ACLs disabled (BucketOwnerEnforced), versioning,
 * SSE-KMS with a bucket key, TLS-only policy that allows only the named principals, and lifecycle rules.
 */
export class SecureBucket extends Construct {
  public readonly bucketName: string;
  public readonly bucketArn: string;
  public readonly bucketId: string;
  /** The bucket policy, so dependants (e.g. a trail) can wait for it. */
  public readonly policy: S3BucketPolicy;

  constructor(scope: Construct, id: string, props: SecureBucketProps) {
    super(scope, id);
    validate(props);
    const bucket = new S3Bucket(this, "bucket", {
      bucket: props.bucketName,
      forceDestroy: props.forceDestroy ?? false,
      tags: { Name: props.bucketName },
    });
    const publicAccess = new S3BucketPublicAccessBlock(this, "public-access-block", {
      bucket: bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, "ownership", { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } });
    const versioning = new S3BucketVersioningA(this, "versioning", { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } });
    new S3BucketServerSideEncryptionConfigurationA(this, "encryption", {
      bucket: bucket.id,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: props.kmsKeyArn }, bucketKeyEnabled: true }],
    });

    const lc = props.lifecycle ?? {};
    new S3BucketLifecycleConfiguration(this, "lifecycle", {
      bucket: bucket.id,
      rule: [
        {
          id: "retention",
          status: "Enabled",
          filter: [{ prefix: "" }],
          transition: (lc.transitions ?? []).map((t) => ({ days: t.days, storageClass: t.storageClass })),
          expiration: lc.expirationDays !== undefined ? [{ days: lc.expirationDays }] : undefined,
          noncurrentVersionTransition: (lc.noncurrentVersionTransitions ?? []).map((t) => ({
            noncurrentDays: t.days,
            storageClass: t.storageClass,
          })),
          noncurrentVersionExpiration: [{ noncurrentDays: lc.noncurrentVersionExpirationDays ?? lc.expirationDays ?? 90 }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: lc.abortIncompleteMultipartUploadDays ?? 7 }],
        },
      ],
      // Lifecycle rules on a versioned bucket need versioning in place first.
      dependsOn: [versioning],
    });

    const bucketArn = bucket.arn;
    const resourceArns = (patterns: readonly string[]) => patterns.map((r) => (r === "bucket" ? bucketArn : `${bucketArn}/${r}`));
    const statements: PolicyStatement[] = [denyInsecureTransport(["s3:*"], [bucketArn, `${bucketArn}/*`])];
    for (const grant of props.grants) {
      const principals = [
        ...((grant.roleArns ?? []).length > 0 ? [{ type: "AWS", identifiers: ["*"] }] : []),
        ...((grant.services ?? []).length > 0 ? [{ type: "Service", identifiers: [...(grant.services ?? [])] }] : []),
      ];
      // `Principal: *` narrowed to fixed role ARNs and their fixed account(s): both are conditions S3 Block
      // Public Access counts as non-public, so `block_public_policy` accepts the policy and
      // `restrict_public_buckets` does not cut the roles off.
      const roleArns = unique((grant.roleArns ?? []).map(principalArnForCondition));
      const roleCondition =
        roleArns.length > 0
          ? [
              { test: "ArnEquals", variable: "aws:PrincipalArn", values: roleArns },
              { test: "StringEquals", variable: "aws:PrincipalAccount", values: unique(roleArns.map((arn) => arn.split(":")[4]!)) },
            ]
          : [];
      statements.push({
        sid: grant.sid,
        effect: "Allow",
        principals,
        actions: [...grant.actions],
        resources: resourceArns(grant.resources),
        condition: [...roleCondition, ...(grant.conditions ?? [])],
      });
    }
    if (props.restrictObjectAccess ?? true) {
      const roles = unique(
        [...props.grants.flatMap((g) => g.roleArns ?? []), ...(props.trustedPrincipalArns ?? [])].map(principalArnForCondition),
      );
      const services = unique(props.grants.flatMap((g) => g.services ?? []));
      statements.push({
        sid: "DenyObjectAccessToOthers",
        effect: "Deny",
        principals: [{ type: "*", identifiers: ["*"] }],
        actions: [...OBJECT_DATA_ACTIONS],
        resources: [`${bucketArn}/*`],
        // Both must hold to deny: not a named role (absent for services) and not a named service (absent for roles).
        condition: [
          ...(roles.length > 0 ? [{ test: "ArnNotEqualsIfExists", variable: "aws:PrincipalArn", values: roles }] : []),
          ...(services.length > 0 ? [{ test: "StringNotEqualsIfExists", variable: "aws:PrincipalServiceName", values: services }] : []),
        ],
      });
    }
    const policyDocument = new DataAwsIamPolicyDocument(this, "policy-document", { statement: statements });
    this.policy = new S3BucketPolicy(this, "policy", { bucket: bucket.id, policy: policyDocument.json, dependsOn: [publicAccess] });

    this.bucketName = bucket.bucket;
    this.bucketArn = bucket.arn;
    this.bucketId = bucket.id;
  }
}

function validate(props: SecureBucketProps): void {
  if (props.blockPublicAccess === false) {
    throw new ShipyardValidationError(
      "blockPublicAccess",
      "Shipyard buckets are never public (expected true); serve public content through CloudFront instead",
    );
  }
  if (!/^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/.test(props.bucketName) || props.bucketName.includes("--")) {
    throw new ShipyardValidationError(
      "bucketName",
      `${props.bucketName} is not a valid bucket name (expected 3-63 characters: a-z, 0-9 and '-')`,
    );
  }
  if (!props.kmsKeyArn) throw new ShipyardValidationError("kmsKeyArn", "a customer key is required for SSE-KMS");
  if (props.grants.length === 0) throw new ShipyardValidationError("grants", "name at least one principal or service that uses the bucket");
  const sids = new Set(["DenyInsecureTransport", "DenyObjectAccessToOthers"]);
  props.grants.forEach((g, i) => {
    const path = `grants[${i}]`;
    if (!/^[A-Za-z0-9]+$/.test(g.sid) || sids.has(g.sid))
      throw new ShipyardValidationError(`${path}.sid`, `${g.sid} must be alphanumeric and unique`);
    sids.add(g.sid);
    if ((g.roleArns ?? []).length === 0 && (g.services ?? []).length === 0) {
      throw new ShipyardValidationError(path, "names no principal (expected roleArns or services)");
    }
    validatePrincipalArns(`${path}.roleArns`, g.roleArns ?? []);
    if (g.actions.length === 0 || g.actions.some((a) => a === "*" || a === "s3:*")) {
      throw new ShipyardValidationError(`${path}.actions`, "expected specific S3 actions (s3:* and * are refused)");
    }
    if (g.resources.length === 0) throw new ShipyardValidationError(`${path}.resources`, "expected `bucket` or object key patterns");
  });
  validatePrincipalArns("trustedPrincipalArns", props.trustedPrincipalArns ?? []);
  const lc = props.lifecycle ?? {};
  const days = (path: string, n: number | undefined) => {
    if (n !== undefined && (!Number.isInteger(n) || n < 1))
      throw new ShipyardValidationError(`lifecycle.${path}`, `expected a whole number of days >= 1, got ${n}`);
  };
  days("expirationDays", lc.expirationDays);
  days("noncurrentVersionExpirationDays", lc.noncurrentVersionExpirationDays);
  days("abortIncompleteMultipartUploadDays", lc.abortIncompleteMultipartUploadDays);
  (lc.transitions ?? []).forEach((t, i) => {
    days(`transitions[${i}].days`, t.days);
    if (lc.expirationDays !== undefined && t.days >= lc.expirationDays) {
      throw new ShipyardValidationError(
        `lifecycle.transitions[${i}].days`,
        `must be less than expirationDays (${lc.expirationDays}), got ${t.days}`,
      );
    }
  });
  (lc.noncurrentVersionTransitions ?? []).forEach((t, i) => days(`noncurrentVersionTransitions[${i}].days`, t.days));
}
