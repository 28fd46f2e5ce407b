import { z } from "zod";
import { ECR_REPOSITORY_NAME } from "../../../modules/ecr/names";
import { iamPrincipalArn } from "./common";

export const ecrSchema = z.strictObject({
  /** Untagged images expire after this many days (per repository override possible). */
  untaggedExpiryDays: z.number().int().min(1).max(365),
  /** How many release tags (`v*`) each repository keeps. */
  keepReleaseTags: z.number().int().min(1).max(1000),
  repositories: z
    .array(
      z.strictObject({
        name: z.string().regex(ECR_REPOSITORY_NAME, "an ECR repository name such as team/service"),
        untaggedExpiryDays: z.number().int().min(1).max(365).optional(),
        keepReleaseTags: z.number().int().min(1).max(1000).optional(),
      }),
    )
    .default([]),
  /**
   * Roles besides this environment's deployer that may push images to its repositories: the delivery
   * pipeline's image agent (`shipyard-tools-jenkins-agent-image` in the CI account). Every other principal is
   * denied by the repository policy.
   */
  pushPrincipals: z.array(iamPrincipalArn).default([]),
});
export type EcrConfig = z.output<typeof ecrSchema>;
