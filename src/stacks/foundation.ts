import type { Construct } from "constructs";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { ShipyardStack, type ShipyardStackProps } from "./shipyard-stack";

/**
 * Account-level building blocks every other layer uses: KMS keys, audit trail, registries, secrets,
 * the alerts topic and the backup bucket.
 */
export class FoundationStack extends ShipyardStack {
  /** Customer key for CloudWatch Logs groups (flow logs, control-plane logs). */
  public readonly logsKeyArn: string;

  constructor(scope: Construct, props: ShipyardStackProps) {
    super(scope, "foundation", props);
    const { env } = props;
    const policy = new DataAwsIamPolicyDocument(this, "logs-key-policy", {
      statement: [
        {
          sid: "KeyAdministrators",
          effect: "Allow",
          principals: [{ type: "AWS", identifiers: [...env.access.admins] }],
          actions: ["kms:*"],
          resources: ["*"],
        },
        {
          sid: "CloudWatchLogs",
          effect: "Allow",
          principals: [{ type: "Service", identifiers: [`logs.${env.region}.amazonaws.com`] }],
          actions: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
          resources: ["*"],
          condition: [
            { test: "ArnLike", variable: "kms:EncryptionContext:aws:logs:arn", values: [`arn:aws:logs:${env.region}:${env.account}:*`] },
          ],
        },
      ],
    });
    const logsKey = new KmsKey(this, "logs-key", {
      description: `${this.resourceName()} CloudWatch Logs`,
      enableKeyRotation: true,
      deletionWindowInDays: env.protection.kmsDeletionWindowDays,
      policy: policy.json,
    });
    this.logsKeyArn = logsKey.arn;
  }
}
