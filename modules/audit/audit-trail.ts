import { Construct } from "constructs";
import { Cloudtrail } from "@cdktf/provider-aws/lib/cloudtrail";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { ShipyardValidationError } from "../core";
import { SecureBucket } from "../s3-bucket";

export interface AuditTrailProps {
  /** Name prefix, `shipyard-<env>`: the trail is `<name>`, the bucket `<name>-cloudtrail-<account>`. */
  readonly name: string;
  /** AWS account id (12 digits) of the environment. */
  readonly accountId: string;
  /** AWS region of the environment (the trail's home region; the trail covers every region). */
  readonly region: string;
  /** @default "aws" */
  readonly partition?: string;
  /** Key for the log files and the bucket (its policy must let CloudTrail encrypt for this trail). */
  readonly kmsKeyArn: string;
  /** Key for the CloudWatch Logs group (its policy must let CloudWatch Logs use it for `/aws/cloudtrail/<name>/*`). */
  readonly logsKmsKeyArn: string;
  /** CloudWatch Logs retention of the trail's log group. */
  readonly logRetentionDays: number;
  /** Days before log files move to Glacier Flexible Retrieval; less than `expirationDays`. */
  readonly glacierTransitionDays: number;
  /** Days before log files (and noncurrent versions) are deleted. */
  readonly expirationDays: number;
  /** Principals that read the log files (exempt from the bucket's object restriction). @default none */
  readonly readerArns?: readonly string[];
  /**
   * S3 buckets whose object-level (data) events the trail records. Off by default: data events are
   * billed per event and rarely needed beyond sensitive buckets (e.g. backups).
   * @default none
   */
  readonly s3DataEventBucketArns?: readonly string[];
  /** Multi-region trail. Turning it off is refused: activity in an unused region is what an audit must see. @default true */
  readonly multiRegion?: boolean;
  /** Attached to the CloudWatch Logs delivery role. @default none */
  readonly permissionsBoundaryArn?: string;
}

/**
 * The account's audit trail: multi-region, global service events, management events (read and write),
 * log file validation, KMS-encrypted log files in a private versioned bucket with lifecycle, and
 * delivery to an encrypted CloudWatch Logs group through a role only this trail can assume.
 */
export class AuditTrail extends Construct {
  public readonly trailArn: string;
  public readonly trailName: string;
  public readonly bucketName: string;
  public readonly bucketArn: string;
  public readonly logGroupName: string;
  public readonly logGroupArn: string;
  public readonly deliveryRoleArn: string;

  constructor(scope: Construct, id: string, props: AuditTrailProps) {
    super(scope, id);
    validate(props);
    const p = props.partition ?? "aws";
    const trailName = props.name;
    // Built, not referenced: the bucket policy and role trust must exist before the trail is created.
    const trailArn = `arn:${p}:cloudtrail:${props.region}:${props.accountId}:trail/${trailName}`;
    const sourceArn = { test: "StringEquals", variable: "aws:SourceArn", values: [trailArn] };

    const bucket = new SecureBucket(this, "bucket", {
      bucketName: `${props.name}-cloudtrail-${props.accountId}`,
      kmsKeyArn: props.kmsKeyArn,
      trustedPrincipalArns: props.readerArns,
      grants: [
        {
          sid: "CloudTrailAclCheck",
          services: ["cloudtrail.amazonaws.com"],
          actions: ["s3:GetBucketAcl"],
          resources: ["bucket"],
          conditions: [sourceArn],
        },
        {
          sid: "CloudTrailWrite",
          services: ["cloudtrail.amazonaws.com"],
          actions: ["s3:PutObject"],
          resources: [`AWSLogs/${props.accountId}/*`],
          conditions: [sourceArn, { test: "StringEquals", variable: "s3:x-amz-acl", values: ["bucket-owner-full-control"] }],
        },
      ],
      lifecycle: {
        transitions: [{ days: props.glacierTransitionDays, storageClass: "GLACIER" }],
        expirationDays: props.expirationDays,
        noncurrentVersionExpirationDays: 30,
      },
    });

    const group = new CloudwatchLogGroup(this, "log-group", {
      name: `/aws/cloudtrail/${props.name}/trail`,
      retentionInDays: props.logRetentionDays,
      kmsKeyId: props.logsKmsKeyArn,
    });
    const trust = new DataAwsIamPolicyDocument(this, "delivery-trust", {
      statement: [
        {
          effect: "Allow",
          actions: ["sts:AssumeRole"],
          principals: [{ type: "Service", identifiers: ["cloudtrail.amazonaws.com"] }],
          condition: [sourceArn, { test: "StringEquals", variable: "aws:SourceAccount", values: [props.accountId] }],
        },
      ],
    });
    const role = new IamRole(this, "delivery-role", {
      name: `${props.name}-cloudtrail-logs`,
      description: "CloudTrail delivers the trail to its CloudWatch Logs group",
      assumeRolePolicy: trust.json,
      permissionsBoundary: props.permissionsBoundaryArn,
    });
    const delivery = new DataAwsIamPolicyDocument(this, "delivery", {
      statement: [
        {
          sid: "DeliverTrailEvents",
          effect: "Allow",
          actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
          resources: [`${group.arn}:log-stream:*`],
        },
      ],
    });
    const deliveryPolicy = new IamRolePolicy(this, "delivery-policy", {
      name: "deliver-trail-events",
      role: role.id,
      policy: delivery.json,
    });

    const dataBuckets = props.s3DataEventBucketArns ?? [];
    const trail = new Cloudtrail(this, "trail", {
      name: trailName,
      s3BucketName: bucket.bucketName,
      kmsKeyId: props.kmsKeyArn,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      enableLogFileValidation: true,
      enableLogging: true,
      cloudWatchLogsGroupArn: `${group.arn}:*`,
      cloudWatchLogsRoleArn: role.arn,
      advancedEventSelector: [
        { name: "Management events", fieldSelector: [{ field: "eventCategory", equalTo: ["Management"] }] },
        ...(dataBuckets.length > 0
          ? [
              {
                name: "S3 data events",
                fieldSelector: [
                  { field: "eventCategory", equalTo: ["Data"] },
                  { field: "resources.type", equalTo: ["AWS::S3::Object"] },
                  { field: "resources.ARN", startsWith: dataBuckets.map((arn) => `${arn}/`) },
                ],
              },
            ]
          : []),
      ],
      tags: { Name: trailName },
      dependsOn: [bucket.policy, deliveryPolicy],
    });

    this.trailArn = trail.arn;
    this.trailName = trail.name;
    this.bucketName = bucket.bucketName;
    this.bucketArn = bucket.bucketArn;
    this.logGroupName = group.name;
    this.logGroupArn = group.arn;
    this.deliveryRoleArn = role.arn;
  }
}

/** The ARN a trail named `name` gets; key policies use it as `aws:SourceArn` before the trail exists. */
export function trailArnFor(name: string, accountId: string, region: string, partition = "aws"): string {
  return `arn:${partition}:cloudtrail:${region}:${accountId}:trail/${name}`;
}

function validate(props: AuditTrailProps): void {
  if (props.multiRegion === false) {
    throw new ShipyardValidationError("multiRegion", "the audit trail records every region (expected true)");
  }
  if (props.glacierTransitionDays >= props.expirationDays) {
    throw new ShipyardValidationError(
      "glacierTransitionDays",
      `must be less than expirationDays (${props.expirationDays}), got ${props.glacierTransitionDays}`,
    );
  }
  if (props.expirationDays < 90) {
    throw new ShipyardValidationError("expirationDays", `audit logs are kept at least 90 days, got ${props.expirationDays}`);
  }
  for (const arn of props.s3DataEventBucketArns ?? []) {
    if (arn.trim() === "" || arn === "*")
      throw new ShipyardValidationError("s3DataEventBucketArns", "expected bucket ARNs (all buckets would flood the trail)");
  }
}
