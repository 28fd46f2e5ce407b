/**
 * The resources of one environment, per IAM service prefix, as ARN patterns. The deployer's identity
 * policies and the permissions boundary both scope to these, so the ceiling and the grants agree.
 *
 * | service | resources of `shipyard-<env>` |
 * | --- | --- |
 * | s3 | buckets `shipyard-<env>-*` and their objects; the S3 state bucket when state lives there |
 * | kms | keys of this account and region (key policies name their users), aliases `alias/shipyard-<env>-*` |
 * | iam | roles, policies and instance profiles `shipyard-<env>-*`, the region's EKS OIDC providers |
 * | eks | cluster `shipyard-<env>` and its node groups, add-ons, access entries, pod identity associations |
 * | logs | log groups `/aws/<service>/shipyard-<env>/...` |
 * | secretsmanager | secrets `shipyard-<env>/*` |
 * | sns, sqs, events, cloudwatch | `shipyard-<env>-*` |
 * | ecr | the configured repositories |
 * | cloudtrail | the trail `shipyard-<env>` |
 * | autoscaling | EKS managed node-group groups (`eks-*`) |
 * | ec2 and any other | this account and region (EC2 names resources by id); AMIs and snapshots of the region |
 */
export interface EnvironmentScopeProps {
  /** `shipyard-<env>`. */
  readonly prefix: string;
  /** AWS account id (12 digits) of the environment. */
  readonly accountId: string;
  /** AWS region of the environment. */
  readonly region: string;
  /** @default "aws" */
  readonly partition?: string;
  /** ECR repository names the environment owns. @default none */
  readonly repositoryNames?: readonly string[];
  /** The S3 bucket (and key prefix) holding Terraform state, when the backend is `s3`. @default none */
  readonly stateBucket?: { readonly bucket: string; readonly keyPrefix: string };
}

/** ARN patterns of this environment's resources for one service prefix. */
export function serviceScope(service: string, props: EnvironmentScopeProps): string[] {
  const p = props.partition ?? "aws";
  const { prefix, accountId: a, region: r } = props;
  const arn = (svc: string, resource: string, region = r, account = a) => `arn:${p}:${svc}:${region}:${account}:${resource}`;
  switch (service) {
    case "s3": {
      const state = props.stateBucket;
      const statePrefix = state ? state.keyPrefix.replace(/^\/+|\/+$/g, "") : "";
      return [
        `arn:${p}:s3:::${prefix}-*`,
        `arn:${p}:s3:::${prefix}-*/*`,
        ...(state ? [`arn:${p}:s3:::${state.bucket}`, `arn:${p}:s3:::${state.bucket}/${statePrefix ? `${statePrefix}/` : ""}*`] : []),
      ];
    }
    case "kms":
      return [arn("kms", "key/*"), arn("kms", `alias/${prefix}-*`)];
    case "iam":
      return [
        `arn:${p}:iam::${a}:role/${prefix}-*`,
        `arn:${p}:iam::${a}:policy/${prefix}-*`,
        `arn:${p}:iam::${a}:instance-profile/${prefix}-*`,
        `arn:${p}:iam::${a}:oidc-provider/oidc.eks.${r}.amazonaws.com/id/*`,
      ];
    case "eks":
      return [
        arn("eks", `cluster/${prefix}`),
        arn("eks", `nodegroup/${prefix}/*`),
        arn("eks", `addon/${prefix}/*`),
        arn("eks", `access-entry/${prefix}/*`),
        arn("eks", `podidentityassociation/${prefix}/*`),
      ];
    case "logs":
      return [arn("logs", `log-group:/aws/*/${prefix}/*`)];
    case "secretsmanager":
      return [arn("secretsmanager", `secret:${prefix}/*`)];
    case "sns":
    case "sqs":
      return [arn(service, `${prefix}-*`)];
    case "events":
      return [arn("events", `rule/${prefix}-*`)];
    case "cloudwatch":
      return [arn("cloudwatch", `alarm:${prefix}-*`)];
    case "ecr":
      return (props.repositoryNames ?? []).map((name) => arn("ecr", `repository/${name}`));
    case "cloudtrail":
      return [arn("cloudtrail", `trail/${prefix}`)];
    case "autoscaling":
      return [arn("autoscaling", "autoScalingGroup:*:autoScalingGroupName/eks-*")];
    case "ssm":
      // EKS AMI parameters are AWS-owned public parameters (no account in the ARN).
      return [arn("ssm", "parameter/aws/service/eks/*", r, ""), arn("ssm", "*")];
    case "vpce":
      // A permission-only service authorized on the EC2 endpoint.
      return [arn("ec2", "vpc-endpoint/*")];
    case "ec2":
      return [arn("ec2", "*"), arn("ec2", "image/*", r, ""), arn("ec2", "snapshot/*", r, "")];
    default:
      return [arn(service, "*")];
  }
}
