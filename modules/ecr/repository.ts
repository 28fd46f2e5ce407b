import { Construct } from "constructs";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { EcrLifecyclePolicy } from "@cdktf/provider-aws/lib/ecr-lifecycle-policy";
import { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";
import { EcrRepositoryPolicy } from "@cdktf/provider-aws/lib/ecr-repository-policy";
import { ShipyardValidationError } from "../core";
import { principalArnForCondition, unique, validatePrincipalArns } from "../iam";
import { ECR_REPOSITORY_NAME } from "./names";

export const PULL_ACTIONS: readonly string[] = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"];
export const PUSH_ACTIONS: readonly string[] = [
  "ecr:PutImage",
  "ecr:InitiateLayerUpload",
  "ecr:UploadLayerPart",
  "ecr:CompleteLayerUpload",
];

export interface RepositoryProps {
  /** Repository name, e.g. `shipyard/sample-app`. */
  readonly name: string;
  /** Customer key for the images. */
  readonly kmsKeyArn: string;
  /** Roles that pull (the node role). Named by `aws:PrincipalArn`, so they may be created by a later stack. */
  readonly pullRoleArns: readonly string[];
  /** Roles that push (and pull): the deployer. */
  readonly pushRoleArns: readonly string[];
  /** Untagged images expire this many days after push, 1-365. @default 14 */
  readonly untaggedExpiryDays?: number;
  /** Release tags (`v*`) kept; older ones expire. 1-1000. @default 100 */
  readonly keepReleaseTags?: number;
  /**
   * How many other images (commit-tagged builds) to keep. Counted, not aged: an environment that has
   * not deployed for months still pulls its running image. Release images are never expired by this
   * rule, since ECR does not let a lower-priority rule expire an image a higher one selected.
   * @default 200
   */
  readonly keepBuildImages?: number;
  /** Tag prefix of release images. @default "v" */
  readonly releaseTagPrefix?: string;
  /**
   * `IMMUTABLE` only: a tag that can be moved makes a deployed image impossible to trace. `MUTABLE` is refused.
   * @default "IMMUTABLE"
   */
  readonly imageTagMutability?: "IMMUTABLE" | "MUTABLE";
  /** Scan on push; turning it off is refused. @default true */
  readonly scanOnPush?: boolean;
}

/**
 * One private ECR repository: immutable tags, scan on push, KMS encryption, a lifecycle policy, and a
 * repository policy under which only the named roles pull and push (an explicit deny keeps out every
 * other principal of the account, whatever its IAM policies say).
 */
export class Repository extends Construct {
  public readonly repositoryName: string;
  public readonly repositoryArn: string;
  public readonly repositoryUrl: string;

  constructor(scope: Construct, id: string, props: RepositoryProps) {
    super(scope, id);
    validate(props);
    const repo = new EcrRepository(this, "repository", {
      name: props.name,
      imageTagMutability: "IMMUTABLE",
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: [{ encryptionType: "KMS", kmsKey: props.kmsKeyArn }],
      forceDelete: false,
      tags: { Name: props.name },
    });
    const prefix = props.releaseTagPrefix ?? "v";
    new EcrLifecyclePolicy(this, "lifecycle", {
      repository: repo.name,
      policy: JSON.stringify({
        rules: [
          {
            rulePriority: 1,
            description: `Expire untagged images ${props.untaggedExpiryDays ?? 14} days after push`,
            selection: {
              tagStatus: "untagged",
              countType: "sinceImagePushed",
              countUnit: "days",
              countNumber: props.untaggedExpiryDays ?? 14,
            },
            action: { type: "expire" },
          },
          {
            rulePriority: 2,
            description: `Keep the last ${props.keepReleaseTags ?? 100} release images (${prefix}*)`,
            selection: {
              tagStatus: "tagged",
              tagPatternList: [`${prefix}*`],
              countType: "imageCountMoreThan",
              countNumber: props.keepReleaseTags ?? 100,
            },
            action: { type: "expire" },
          },
          {
            rulePriority: 3,
            description: `Keep the last ${props.keepBuildImages ?? 200} build images`,
            selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: props.keepBuildImages ?? 200 },
            action: { type: "expire" },
          },
        ],
      }),
    });
    const pushers = unique(props.pushRoleArns.map(principalArnForCondition));
    const pullers = unique([...props.pullRoleArns, ...props.pushRoleArns].map(principalArnForCondition));
    const document = new DataAwsIamPolicyDocument(this, "policy-document", {
      statement: [
        {
          sid: "AllowPull",
          effect: "Allow",
          principals: [{ type: "AWS", identifiers: ["*"] }],
          actions: [...PULL_ACTIONS],
          condition: [{ test: "ArnEquals", variable: "aws:PrincipalArn", values: pullers }],
        },
        {
          sid: "AllowPush",
          effect: "Allow",
          principals: [{ type: "AWS", identifiers: ["*"] }],
          actions: [...PUSH_ACTIONS],
          condition: [{ test: "ArnEquals", variable: "aws:PrincipalArn", values: pushers }],
        },
        {
          sid: "DenyPullToOthers",
          effect: "Deny",
          principals: [{ type: "AWS", identifiers: ["*"] }],
          actions: [...PULL_ACTIONS],
          condition: [{ test: "ArnNotEquals", variable: "aws:PrincipalArn", values: pullers }],
        },
        {
          sid: "DenyPushToOthers",
          effect: "Deny",
          principals: [{ type: "AWS", identifiers: ["*"] }],
          actions: [...PUSH_ACTIONS],
          condition: [{ test: "ArnNotEquals", variable: "aws:PrincipalArn", values: pushers }],
        },
      ],
    });
    new EcrRepositoryPolicy(this, "policy", { repository: repo.name, policy: document.json });
    this.repositoryName = repo.name;
    this.repositoryArn = repo.arn;
    this.repositoryUrl = repo.repositoryUrl;
  }
}

function validate(props: RepositoryProps): void {
  if (!ECR_REPOSITORY_NAME.test(props.name) || props.name.length > 256) {
    throw new ShipyardValidationError("name", `${props.name} is not a valid repository name (expected e.g. team/service)`);
  }
  if (props.imageTagMutability === "MUTABLE") {
    throw new ShipyardValidationError(
      "imageTagMutability",
      "tags are immutable so a deployed tag always names the same image (expected IMMUTABLE)",
    );
  }
  if (props.scanOnPush === false) throw new ShipyardValidationError("scanOnPush", "images are scanned on push (expected true)");
  const n = (path: string, v: number | undefined, max: number) => {
    if (v !== undefined && (!Number.isInteger(v) || v < 1 || v > max))
      throw new ShipyardValidationError(path, `expected a whole number from 1 to ${max}, got ${v}`);
  };
  n("untaggedExpiryDays", props.untaggedExpiryDays, 365);
  n("keepReleaseTags", props.keepReleaseTags, 1000);
  n("keepBuildImages", props.keepBuildImages, 10000);
  if (props.releaseTagPrefix !== undefined && !/^[A-Za-z0-9._-]{1,64}$/.test(props.releaseTagPrefix)) {
    throw new ShipyardValidationError("releaseTagPrefix", `${props.releaseTagPrefix} is not a tag prefix`);
  }
  validatePrincipalArns("pullRoleArns", props.pullRoleArns, { minimum: 1 });
  validatePrincipalArns("pushRoleArns", props.pushRoleArns, { minimum: 1 });
}
