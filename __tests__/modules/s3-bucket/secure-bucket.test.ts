import { describe, expect, it } from "vitest";
import { runSimulation } from "@cloud-copilot/iam-simulate";
import { SecureBucket, type SecureBucketProps } from "../../../modules/s3-bucket";
import { toIamDocument } from "../../../src/policy/document";
import { bySid, conditionValues, expectRefused, only, statementsOf, synth } from "../../policies/synth";

const velero = "arn:aws:iam::111111111111:role/shipyard-dev-velero";
const admin = "arn:aws:iam::111111111111:role/PlatformAdmin";
const KEY = "arn:aws:kms:eu-west-1:111111111111:key/abc";
const base: SecureBucketProps = {
  bucketName: "shipyard-dev-backups-111111111111",
  kmsKeyArn: KEY,
  trustedPrincipalArns: [admin],
  grants: [
    { sid: "VeleroBucket", roleArns: [velero], actions: ["s3:ListBucket"], resources: ["bucket"] },
    { sid: "VeleroObjects", roleArns: [velero], actions: ["s3:GetObject", "s3:PutObject"], resources: ["*"] },
    { sid: "TrailWrite", services: ["cloudtrail.amazonaws.com"], actions: ["s3:PutObject"], resources: ["AWSLogs/*"] },
  ],
  lifecycle: { transitions: [{ days: 30, storageClass: "STANDARD_IA" }], expirationDays: 90, noncurrentVersionExpirationDays: 14 },
};
const build = (over: Partial<SecureBucketProps> = {}) => synth((scope) => new SecureBucket(scope, "b", { ...base, ...over }));

describe("SecureBucket", () => {
  it("blocks public access, enforces bucket ownership, versions and encrypts with the key and a bucket key", () => {
    const json = build();
    expect(only(json, "aws_s3_bucket").bucket).toBe("shipyard-dev-backups-111111111111");
    expect(only(json, "aws_s3_bucket").force_destroy).toBe(false);
    expect(only(json, "aws_s3_bucket_public_access_block")).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(only(json, "aws_s3_bucket_ownership_controls").rule.object_ownership).toBe("BucketOwnerEnforced");
    expect(only(json, "aws_s3_bucket_versioning").versioning_configuration.status).toBe("Enabled");
    const sse = only(json, "aws_s3_bucket_server_side_encryption_configuration").rule[0];
    expect(sse.apply_server_side_encryption_by_default).toEqual({ sse_algorithm: "aws:kms", kms_master_key_id: KEY });
    expect(sse.bucket_key_enabled).toBe(true);
  });

  it("writes the lifecycle rules from props, aborting incomplete uploads after 7 days by default", () => {
    const rule = only(build(), "aws_s3_bucket_lifecycle_configuration").rule[0];
    expect(rule.status).toBe("Enabled");
    expect(rule.transition).toEqual([{ days: 30, storage_class: "STANDARD_IA" }]);
    expect(rule.expiration).toEqual([{ days: 90 }]);
    expect(rule.noncurrent_version_expiration).toEqual([{ noncurrent_days: 14 }]);
    expect(rule.abort_incomplete_multipart_upload).toEqual([{ days_after_initiation: 7 }]);
  });

  it("denies plain HTTP for everyone and allows only the named principals", () => {
    const json = build();
    const policy = only(json, "aws_s3_bucket_policy");
    expect(policy.depends_on).toEqual(expect.arrayContaining([expect.stringContaining("aws_s3_bucket_public_access_block")]));
    const statements = statementsOf(json, policy.policy);
    const tls = bySid(statements, "DenyInsecureTransport");
    expect(tls.effect).toBe("Deny");
    expect(conditionValues(tls, "aws:SecureTransport")).toEqual(["false"]);
    expect(tls.resources).toHaveLength(2);
    const objects = bySid(statements, "VeleroObjects");
    expect(conditionValues(objects, "aws:PrincipalArn")).toEqual([velero]);
    expect(objects.resources![0]).toMatch(/\/\*$/);
    expect(bySid(statements, "TrailWrite").principals).toEqual([{ type: "Service", identifiers: ["cloudtrail.amazonaws.com"] }]);
    const others = bySid(statements, "DenyObjectAccessToOthers");
    expect(others.effect).toBe("Deny");
    expect(conditionValues(others, "aws:PrincipalArn")).toEqual([velero, admin]);
    expect(conditionValues(others, "aws:PrincipalServiceName")).toEqual(["cloudtrail.amazonaws.com"]);
    for (const s of statements.filter((x) => x.effect === "Allow")) {
      expect(s.actions).not.toContain("s3:*");
      expect(s.principals?.some((p) => p.identifiers.includes("*")) && !conditionValues(s, "aws:PrincipalArn")).toBeFalsy();
    }
  });

  it("can drop the object restriction explicitly", () => {
    const json = build({ restrictObjectAccess: false });
    const statements = statementsOf(json, only(json, "aws_s3_bucket_policy").policy);
    expect(statements.map((s) => s.sid)).not.toContain("DenyObjectAccessToOthers");
  });

  it.each([
    ["public access", { blockPublicAccess: false }, "blockPublicAccess"],
    ["an invalid name", { bucketName: "Shipyard_Bucket" }, "bucketName"],
    ["no grants", { grants: [] }, "grants"],
    ["s3:* in a grant", { grants: [{ sid: "All", roleArns: [velero], actions: ["s3:*"], resources: ["*"] }] }, "grants[0].actions"],
    [
      "a grant to everyone",
      { grants: [{ sid: "All", roleArns: ["*"], actions: ["s3:GetObject"], resources: ["*"] }] },
      "grants[0].roleArns[0]",
    ],
    [
      "a grant to an account root",
      { grants: [{ sid: "Acct", roleArns: ["arn:aws:iam::111111111111:root"], actions: ["s3:GetObject"], resources: ["*"] }] },
      "grants[0].roleArns[0]",
    ],
    ["a grant with no principal", { grants: [{ sid: "None", actions: ["s3:GetObject"], resources: ["*"] }] }, "grants[0]"],
    [
      "a transition after the expiration",
      { lifecycle: { transitions: [{ days: 100, storageClass: "GLACIER" as const }], expirationDays: 90 } },
      "lifecycle.transitions[0].days",
    ],
    ["a zero-day expiration", { lifecycle: { expirationDays: 0 } }, "lifecycle.expirationDays"],
  ] as const)("refuses %s", (_name, over, path) => {
    expectRefused(() => build(over as Partial<SecureBucketProps>), path);
  });
});

describe("SecureBucket under S3 Block Public Access", () => {
  /** The bucket policy as IAM JSON, with the bucket's ARN in place of the Terraform reference. */
  function bucketPolicy() {
    const json = build();
    const arn = "arn:aws:s3:::shipyard-dev-backups-111111111111";
    const statements = statementsOf(json, only(json, "aws_s3_bucket_policy").policy).map((s) => ({
      ...s,
      effect: (s.effect ?? "Allow") as "Allow" | "Deny",
      resources: s.resources?.map((r) => r.replace(/\$\{aws_s3_bucket\.[\w-]+\.arn\}/, arn)),
    }));
    return { statements, document: toIamDocument(statements) };
  }

  it("pins every `Principal: *` grant to fixed role ARNs and their account, conditions S3 counts as non-public", () => {
    for (const s of bucketPolicy().statements.filter(
      (x) => x.effect === "Allow" && x.principals?.some((p) => p.type === "AWS" && p.identifiers.includes("*")),
    )) {
      expect(s.condition?.find((c) => c.variable === "aws:PrincipalArn")?.test, s.sid).toBe("ArnEquals");
      expect(conditionValues(s, "aws:PrincipalAccount"), s.sid).toEqual(["111111111111"]);
    }
  });

  it("still lets the named role in, and nobody from another account, with restrict_public_buckets on (simulated)", async () => {
    const { document } = bucketPolicy();
    const request = (principal: string, accountId = "111111111111") =>
      runSimulation(
        {
          request: {
            principal,
            action: "s3:GetObject",
            resource: { resource: "arn:aws:s3:::shipyard-dev-backups-111111111111/x", accountId: "111111111111" },
            contextVariables: { "aws:SecureTransport": "true", "aws:PrincipalArn": principal, "aws:PrincipalAccount": accountId },
          },
          identityPolicies: [],
          serviceControlPolicies: [],
          resourceControlPolicies: [],
          resourcePolicy: document,
          additionalSettings: { s3: { blockPublicAccess: true } },
        },
        {},
      );
    const own = await request(velero);
    expect(own.resultType !== "error" && own.overallResult).toBe("Allowed");
    const other = await request("arn:aws:iam::999999999999:role/shipyard-dev-velero", "999999999999");
    expect(other.resultType !== "error" && other.overallResult).not.toBe("Allowed");
  });
});
