import { Construct } from "constructs";
import { type PolicyStatement, validatePrincipalArns } from "../iam/policy";
import { CustomerKey } from "./customer-key";
import { cloudWatchLogsStatement } from "./logs-statement";

/** The tag the audit key carries; the permissions boundary denies every KMS action on keys with it. */
export const AUDIT_KEY_TAG = { key: "shipyard:protection", value: "audit" } as const;

export interface AuditKeyProps {
  /** Name prefix, `shipyard-<env>`: the alias is `alias/<name>-audit`. */
  readonly name: string;
  /** AWS account id (12 digits) of the environment. */
  readonly accountId: string;
  /** AWS region of the environment. */
  readonly region: string;
  /** @default "aws" */
  readonly partition?: string;
  /** The trail that encrypts log files with the key (`aws:SourceArn`). */
  readonly trailArn: string;
  /** The trail's CloudWatch Logs group name, which CloudWatch Logs encrypts with the key. */
  readonly logGroupName: string;
  /** Key administrators (the config's admins and the break-glass role); never the deployer. */
  readonly administratorArns: readonly string[];
  /** Principals that read (decrypt) trail log files. @default the administrators */
  readonly readerArns?: readonly string[];
  /** 7-30 days. @default 30 */
  readonly deletionWindowDays?: number;
}

/**
 * The audit trail's own key: CloudTrail encrypts log files for this trail only, CloudWatch Logs encrypts
 * the trail's log group only, the readers decrypt. Administered by people, not the deployer, and tagged
 * so the permissions boundary keeps every bounded role (the deployer included) away from it.
 */
export class AuditKey extends Construct {
  public readonly key: CustomerKey;
  public readonly keyArn: string;

  constructor(scope: Construct, id: string, props: AuditKeyProps) {
    super(scope, id);
    const p = props.partition ?? "aws";
    const { accountId: account, region } = props;
    validatePrincipalArns("readerArns", props.readerArns ?? []);
    const trailContext = {
      test: "StringLike",
      variable: "kms:EncryptionContext:aws:cloudtrail:arn",
      values: [`arn:${p}:cloudtrail:*:${account}:trail/*`],
    };
    const source = { test: "StringEquals", variable: "aws:SourceArn", values: [props.trailArn] };
    const statements: PolicyStatement[] = [
      {
        sid: "CloudTrailEncrypt",
        effect: "Allow",
        principals: [{ type: "Service", identifiers: ["cloudtrail.amazonaws.com"] }],
        actions: ["kms:GenerateDataKey*"],
        resources: ["*"],
        condition: [source, trailContext],
      },
      {
        sid: "CloudTrailDescribe",
        effect: "Allow",
        principals: [{ type: "Service", identifiers: ["cloudtrail.amazonaws.com"] }],
        actions: ["kms:DescribeKey"],
        resources: ["*"],
        condition: [source],
      },
      cloudWatchLogsStatement(region, "ArnEquals", [`arn:${p}:logs:${region}:${account}:log-group:${props.logGroupName}`]),
      {
        sid: "TrailLogReaders",
        effect: "Allow",
        principals: [{ type: "AWS", identifiers: [...(props.readerArns ?? props.administratorArns)] }],
        actions: ["kms:Decrypt", "kms:ReEncryptFrom"],
        resources: ["*"],
        condition: [{ test: "StringEquals", variable: "kms:CallerAccount", values: [account] }, trailContext],
      },
    ];
    this.key = new CustomerKey(this, "key", {
      alias: `${props.name}-audit`,
      description: `${props.name}: audit trail log files and log group`,
      administratorArns: props.administratorArns,
      deletionWindowDays: props.deletionWindowDays,
      statements,
      tags: { [AUDIT_KEY_TAG.key]: AUDIT_KEY_TAG.value },
    });
    this.keyArn = this.key.keyArn;
  }
}
