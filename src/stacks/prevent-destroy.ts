import type { IAspect } from "cdktf";
import { TerraformResource } from "cdktf";
import type { IConstruct } from "constructs";

/**
 * Resource types that hold data or identity that cannot be recreated: keys, buckets, registries, the
 * cluster, secrets, audit trails and log groups.
 */
export const STATEFUL_RESOURCE_TYPES: readonly string[] = [
  "aws_kms_key",
  "aws_s3_bucket",
  "aws_ecr_repository",
  "aws_eks_cluster",
  "aws_secretsmanager_secret",
  "aws_cloudtrail",
  "aws_cloudwatch_log_group",
  "aws_sns_topic",
];

/** Sets `lifecycle.prevent_destroy` on every stateful resource of the stack it is added to. */
export class PreventDestroy implements IAspect {
  constructor(private readonly types: readonly string[] = STATEFUL_RESOURCE_TYPES) {}

  visit(node: IConstruct): void {
    if (node instanceof TerraformResource && this.types.includes(node.terraformResourceType)) {
      node.lifecycle = { ...node.lifecycle, preventDestroy: true };
    }
  }
}
