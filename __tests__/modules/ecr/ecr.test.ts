import { describe, expect, it } from "vitest";
import { PULL_ACTIONS, PUSH_ACTIONS, Repositories, type RepositoriesProps } from "../../../modules/ecr";
import { bySid, conditionValues, expectRefused, resources, statementsOf, synth } from "../../policies/synth";

const node = "arn:aws:iam::111111111111:role/shipyard-dev-node";
const deployer = "arn:aws:iam::111111111111:role/shipyard-dev-deployer";
const KEY = "arn:aws:kms:eu-west-1:111111111111:key/ecr";
const base: RepositoriesProps = {
  repositories: [{ name: "shipyard/sample-app" }, { name: "team/api", untaggedExpiryDays: 2, keepReleaseTags: 5 }],
  kmsKeyArn: KEY,
  pullRoleArns: [node],
  pushRoleArns: [deployer],
  untaggedExpiryDays: 3,
  keepReleaseTags: 10,
};
const build = (over: Partial<RepositoriesProps> = {}) => synth((scope) => new Repositories(scope, "ecr", { ...base, ...over }));

describe("Repositories", () => {
  it("creates immutable, scanned, KMS-encrypted repositories", () => {
    const repos = Object.values(resources(build(), "aws_ecr_repository"));
    expect(repos.map((r) => r.name).sort()).toEqual(["shipyard/sample-app", "team/api"]);
    for (const repo of repos) {
      expect(repo.image_tag_mutability).toBe("IMMUTABLE");
      expect(repo.image_scanning_configuration).toEqual({ scan_on_push: true });
      expect(repo.encryption_configuration).toEqual([{ encryption_type: "KMS", kms_key: KEY }]);
      expect(repo.force_delete).toBe(false);
    }
  });

  it("expires untagged images after N days and keeps the last N v* release tags, per repository overrides", () => {
    const policies = Object.values(resources(build(), "aws_ecr_lifecycle_policy")).map((p) => JSON.parse(p.policy));
    const [shared, custom] = policies;
    expect(shared.rules[0].selection).toEqual({ tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 3 });
    expect(shared.rules[1].selection).toEqual({
      tagStatus: "tagged",
      tagPatternList: ["v*"],
      countType: "imageCountMoreThan",
      countNumber: 10,
    });
    expect(custom.rules[0].selection.countNumber).toBe(2);
    expect(custom.rules[1].selection.countNumber).toBe(5);
    for (const p of policies)
      expect(p.rules.map((r: { action: { type: string } }) => r.action.type)).toEqual(["expire", "expire", "expire"]);
    // Builds (commit tags) are kept by count, after the release rule, so release images are never expired by it.
    expect(shared.rules[2]).toMatchObject({
      rulePriority: 3,
      selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: 200 },
    });
  });

  it("lets the node role pull and the deployer push, and denies both to everyone else", () => {
    const json = build();
    for (const policy of Object.values(resources(json, "aws_ecr_repository_policy"))) {
      const statements = statementsOf(json, policy.policy);
      expect(conditionValues(bySid(statements, "AllowPull"), "aws:PrincipalArn")).toEqual([node, deployer]);
      expect(bySid(statements, "AllowPull").actions).toEqual([...PULL_ACTIONS]);
      expect(conditionValues(bySid(statements, "AllowPush"), "aws:PrincipalArn")).toEqual([deployer]);
      expect(bySid(statements, "AllowPush").actions).toEqual([...PUSH_ACTIONS]);
      const denyPull = bySid(statements, "DenyPullToOthers");
      expect(denyPull).toMatchObject({
        effect: "Deny",
        condition: [{ test: "ArnNotEquals", variable: "aws:PrincipalArn", values: [node, deployer] }],
      });
      expect(bySid(statements, "DenyPushToOthers").condition).toEqual([
        { test: "ArnNotEquals", variable: "aws:PrincipalArn", values: [deployer] },
      ]);
    }
  });

  it("names the node role by its deterministic ARN, so no reference to the cluster stack is needed", () => {
    expect(JSON.stringify(build())).toContain("role/shipyard-dev-node");
  });

  it.each([
    ["mutable tags", { repositories: [{ name: "a/b", imageTagMutability: "MUTABLE" as const }] }, "imageTagMutability"],
    ["an invalid name", { repositories: [{ name: "A/B" }] }, "name"],
    ["a duplicate repository", { repositories: [{ name: "a" }, { name: "a" }] }, "repositories[1].name"],
    ["no puller", { pullRoleArns: [] }, "pullRoleArns"],
    ["everyone as pusher", { pushRoleArns: ["*"] }, "pushRoleArns[0]"],
    ["an expiry of 0 days", { untaggedExpiryDays: 0 }, "untaggedExpiryDays"],
    ["keeping 1001 tags", { keepReleaseTags: 1001 }, "keepReleaseTags"],
  ] as const)("refuses %s", (_name, over, path) => {
    expectRefused(() => build(over as Partial<RepositoriesProps>), path);
  });
});
