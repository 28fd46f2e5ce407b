import { Construct } from "constructs";
import { ShipyardValidationError } from "../core";
import { Repository, type RepositoryProps } from "./repository";

export interface RepositoriesProps {
  /** One entry per repository; per-repository values override the shared ones below. */
  readonly repositories: readonly Pick<RepositoryProps, "name" | "untaggedExpiryDays" | "keepReleaseTags" | "imageTagMutability">[];
  /** Customer key that encrypts every repository. */
  readonly kmsKeyArn: string;
  /**
   * The node role, by its deterministic ARN `arn:aws:iam::<account>:role/shipyard-<env>-node` (the
   * cluster layer creates it later; see modules/iam/naming.ts).
   */
  readonly pullRoleArns: readonly string[];
  /** The deployer role. */
  readonly pushRoleArns: readonly string[];
  /** @default 14 */
  readonly untaggedExpiryDays?: number;
  /** @default 100 */
  readonly keepReleaseTags?: number;
}

/** The environment's ECR repositories (see `Repository`). */
export class Repositories extends Construct {
  /** Repository URLs by repository name. */
  public readonly repositoryUrls: Readonly<Record<string, string>>;
  /** Repository ARNs by repository name. */
  public readonly repositoryArns: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: RepositoriesProps) {
    super(scope, id);
    const urls: Record<string, string> = {};
    const arns: Record<string, string> = {};
    props.repositories.forEach((r, i) => {
      if (urls[r.name] !== undefined) throw new ShipyardValidationError(`repositories[${i}].name`, `duplicate repository ${r.name}`);
      // Repository names never hold "--", so the construct id is unique and stable under reordering.
      const repo = new Repository(this, r.name.replace(/\//g, "--"), {
        ...r,
        untaggedExpiryDays: r.untaggedExpiryDays ?? props.untaggedExpiryDays,
        keepReleaseTags: r.keepReleaseTags ?? props.keepReleaseTags,
        kmsKeyArn: props.kmsKeyArn,
        pullRoleArns: props.pullRoleArns,
        pushRoleArns: props.pushRoleArns,
      });
      urls[r.name] = repo.repositoryUrl;
      arns[r.name] = repo.repositoryArn;
    });
    this.repositoryUrls = urls;
    this.repositoryArns = arns;
  }
}
