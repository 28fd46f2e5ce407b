import type { PolicyStatement } from "../iam/policy";

/**
 * The key-policy statement that lets CloudWatch Logs in `region` encrypt the named log groups with the key
 * (`kms:EncryptionContext:aws:logs:arn`), and no others: `ArnEquals` for exact ARNs, `ArnLike` for patterns.
 */
export function cloudWatchLogsStatement(region: string, test: "ArnEquals" | "ArnLike", logGroupArns: readonly string[]): PolicyStatement {
  return {
    sid: "CloudWatchLogs",
    effect: "Allow",
    principals: [{ type: "Service", identifiers: [`logs.${region}.amazonaws.com`] }],
    actions: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
    resources: ["*"],
    condition: [{ test, variable: "kms:EncryptionContext:aws:logs:arn", values: [...logGroupArns] }],
  };
}
