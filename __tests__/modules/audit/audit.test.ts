import { describe, expect, it } from "vitest";
import { AuditTrail, type AuditTrailProps, trailArnFor } from "../../../modules/audit";
import { bySid, conditionValues, expectRefused, only, resources, statementsOf, synth } from "../../policies/synth";

const ACCOUNT = "333333333333";
const base: AuditTrailProps = {
  name: "shipyard-prod",
  accountId: ACCOUNT,
  region: "eu-west-1",
  kmsKeyArn: "arn:aws:kms:eu-west-1:333333333333:key/s3",
  logsKmsKeyArn: "arn:aws:kms:eu-west-1:333333333333:key/logs",
  logRetentionDays: 365,
  glacierTransitionDays: 90,
  expirationDays: 2557,
  readerArns: [`arn:aws:iam::${ACCOUNT}:role/PlatformAdmin`],
  permissionsBoundaryArn: `arn:aws:iam::${ACCOUNT}:policy/shipyard-prod-boundary`,
};
const build = (over: Partial<AuditTrailProps> = {}) => synth((scope) => new AuditTrail(scope, "audit", { ...base, ...over }));
const TRAIL = trailArnFor("shipyard-prod", ACCOUNT, "eu-west-1");

describe("AuditTrail", () => {
  it("records management events in every region with log file validation and KMS", () => {
    const trail = only(build(), "aws_cloudtrail");
    expect(trail).toMatchObject({
      name: "shipyard-prod",
      is_multi_region_trail: true,
      include_global_service_events: true,
      enable_log_file_validation: true,
      enable_logging: true,
      kms_key_id: base.kmsKeyArn,
    });
    expect(trail.advanced_event_selector).toEqual([
      { name: "Management events", field_selector: [{ field: "eventCategory", equals: ["Management"] }] },
    ]);
    expect(trail.cloud_watch_logs_group_arn).toMatch(/aws_cloudwatch_log_group\..*\.arn\}:\*$/);
    expect(trail.depends_on).toEqual(expect.arrayContaining([expect.stringContaining("aws_s3_bucket_policy")]));
  });

  it("records S3 data events only for the buckets named", () => {
    const trail = only(build({ s3DataEventBucketArns: ["arn:aws:s3:::shipyard-prod-backups-333333333333"] }), "aws_cloudtrail");
    expect(trail.advanced_event_selector).toHaveLength(2);
    expect(trail.advanced_event_selector[1].field_selector).toContainEqual({
      field: "resources.ARN",
      starts_with: ["arn:aws:s3:::shipyard-prod-backups-333333333333/"],
    });
  });

  it("delivers to an encrypted log group through a role only this trail can assume, with the boundary", () => {
    const json = build();
    const group = only(json, "aws_cloudwatch_log_group");
    expect(group).toMatchObject({ name: "/aws/cloudtrail/shipyard-prod/trail", retention_in_days: 365, kms_key_id: base.logsKmsKeyArn });
    const role = only(json, "aws_iam_role");
    expect(role.name).toBe("shipyard-prod-cloudtrail-logs");
    expect(role.permissions_boundary).toBe(base.permissionsBoundaryArn);
    const trust = statementsOf(json, role.assume_role_policy)[0]!;
    expect(trust.principals).toEqual([{ type: "Service", identifiers: ["cloudtrail.amazonaws.com"] }]);
    expect(conditionValues(trust, "aws:SourceArn")).toEqual([TRAIL]);
    expect(conditionValues(trust, "aws:SourceAccount")).toEqual([ACCOUNT]);
    const delivery = statementsOf(json, only(json, "aws_iam_role_policy").policy)[0]!;
    expect(delivery.actions).toEqual(["logs:CreateLogStream", "logs:PutLogEvents"]);
    expect(delivery.resources![0]).toMatch(/:log-stream:\*$/);
  });

  it("writes to a private bucket that only CloudTrail (for this trail) and the readers use", () => {
    const json = build();
    expect(only(json, "aws_s3_bucket").bucket).toBe("shipyard-prod-cloudtrail-333333333333");
    const statements = statementsOf(json, only(json, "aws_s3_bucket_policy").policy);
    const write = bySid(statements, "CloudTrailWrite");
    expect(conditionValues(write, "aws:SourceArn")).toEqual([TRAIL]);
    expect(conditionValues(write, "s3:x-amz-acl")).toEqual(["bucket-owner-full-control"]);
    expect(write.resources![0]).toMatch(/\/AWSLogs\/333333333333\/\*$/);
    expect(bySid(statements, "CloudTrailAclCheck").actions).toEqual(["s3:GetBucketAcl"]);
    const rule = only(json, "aws_s3_bucket_lifecycle_configuration").rule[0];
    expect(rule.transition).toEqual([{ days: 90, storage_class: "GLACIER" }]);
    expect(rule.expiration).toEqual([{ days: 2557 }]);
    expect(Object.keys(resources(json, "aws_s3_bucket_public_access_block"))).toHaveLength(1);
  });

  it.each([
    ["a single-region trail", { multiRegion: false }, "multiRegion"],
    ["a transition after the expiration", { glacierTransitionDays: 400, expirationDays: 365 }, "glacierTransitionDays"],
    ["less than 90 days of logs", { glacierTransitionDays: 30, expirationDays: 60 }, "expirationDays"],
    ["data events for every bucket", { s3DataEventBucketArns: ["*"] }, "s3DataEventBucketArns"],
  ] as const)("refuses %s", (_name, over, path) => {
    expectRefused(() => build(over as Partial<AuditTrailProps>), path);
  });
});
