import { describe, expect, it } from "vitest";
import { ShipyardValidationError } from "../../../modules/core";
import { CustomerKey, KEY_PURPOSES, PlatformKeys, type PlatformKeysProps } from "../../../modules/kms";
import { bySid, conditionValues, expectRefused, resources, statementsOf, synth } from "../../policies/synth";

const ACCOUNT = "333333333333";
const admin = `arn:aws:iam::${ACCOUNT}:role/PlatformAdmin`;
const deployer = `arn:aws:iam::${ACCOUNT}:role/shipyard-prod-deployer`;
const role = (n: string) => `arn:aws:iam::${ACCOUNT}:role/shipyard-prod-${n}`;
const trail = `arn:aws:cloudtrail:eu-west-1:${ACCOUNT}:trail/shipyard-prod`;

const props = (over: Partial<PlatformKeysProps> = {}): PlatformKeysProps => ({
  name: "shipyard-prod",
  accountId: ACCOUNT,
  region: "eu-west-1",
  administratorArns: [admin, deployer],
  deletionWindowDays: 30,
  clusterSecrets: { clusterRoleArn: role("cluster") },
  ebs: { userRoleArns: [role("node"), role("ebs-csi")] },
  ecr: { userRoleArns: [deployer, role("node")] },
  s3: { trailArns: [trail], userRoleArns: [role("velero")], trailReaderArns: [admin] },
  secrets: { userRoleArns: [role("external-secrets"), admin] },
  sns: { publisherRoleArns: [role("alertmanager")] },
  ...over,
});

function keyPolicies(over: Partial<PlatformKeysProps> = {}) {
  const json = synth((scope) => new PlatformKeys(scope, "keys", props(over)));
  const keys = resources(json, "aws_kms_key");
  const byAlias = Object.fromEntries(
    Object.values(resources(json, "aws_kms_alias")).map((a) => {
      const keyId = /aws_kms_key\.([\w-]+)\./.exec(a.target_key_id)![1]!;
      return [a.name as string, { key: keys[keyId]!, statements: statementsOf(json, keys[keyId]!.policy) }];
    }),
  );
  return { json, keys, byAlias };
}

describe("PlatformKeys", () => {
  it("creates one rotating key with an alias per purpose", () => {
    const { keys, byAlias } = keyPolicies();
    expect(Object.keys(keys)).toHaveLength(KEY_PURPOSES.length);
    expect(Object.keys(byAlias).sort()).toEqual(KEY_PURPOSES.map((p) => `alias/shipyard-prod-${p}`).sort());
    for (const key of Object.values(keys)) {
      expect(key.enable_key_rotation).toBe(true);
      expect(key.deletion_window_in_days).toBe(30);
      expect(key.bypass_policy_lockout_safety_check).toBe(false);
      expect(key.customer_master_key_spec).toBe("SYMMETRIC_DEFAULT");
      expect(key.multi_region).toBe(false);
    }
  });

  it("names the administrators explicitly, with kms:PutKeyPolicy, and never the account root", () => {
    const { byAlias } = keyPolicies();
    for (const { statements } of Object.values(byAlias)) {
      const admins = bySid(statements, "KeyAdministrators");
      expect(admins.principals).toEqual([{ type: "AWS", identifiers: [admin, deployer] }]);
      expect(admins.actions).toContain("kms:Put*");
      expect(admins.actions).not.toContain("kms:*");
      expect(admins.actions).not.toContain("kms:Decrypt");
      const text = JSON.stringify(statements);
      expect(text).not.toMatch(/:root"/);
    }
  });

  it("lets CloudWatch Logs use the logs key only for this environment's log groups", () => {
    const { statements } = keyPolicies().byAlias["alias/shipyard-prod-logs"]!;
    const logs = bySid(statements, "CloudWatchLogs");
    expect(logs.principals).toEqual([{ type: "Service", identifiers: ["logs.eu-west-1.amazonaws.com"] }]);
    expect(conditionValues(logs, "kms:EncryptionContext:aws:logs:arn")).toEqual([
      `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:/aws/*/shipyard-prod/*`,
    ]);
  });

  it("lets the Auto Scaling service-linked role and the node role use the EBS key, grants only for AWS resources", () => {
    const { statements } = keyPolicies().byAlias["alias/shipyard-prod-ebs"]!;
    const slr = `arn:aws:iam::${ACCOUNT}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`;
    const use = bySid(statements, "AutoScalingServiceLinkedRoleUse");
    expect(conditionValues(use, "aws:PrincipalArn")).toEqual([slr]);
    expect(conditionValues(use, "kms:CallerAccount")).toEqual([ACCOUNT]);
    expect(use.actions).toEqual(
      expect.arrayContaining(["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"]),
    );
    const grants = bySid(statements, "AutoScalingServiceLinkedRoleGrants");
    expect(grants.actions).toEqual(["kms:CreateGrant"]);
    expect(conditionValues(grants, "kms:GrantIsForAWSResource")).toEqual(["true"]);
    const nodes = bySid(statements, "Ec2VolumeUsers");
    expect(conditionValues(nodes, "aws:PrincipalArn")).toEqual([role("node"), role("ebs-csi")]);
    expect(conditionValues(nodes, "kms:ViaService")).toEqual(["ec2.eu-west-1.amazonaws.com"]);
    expect(conditionValues(bySid(statements, "Ec2VolumeGrants"), "kms:GrantIsForAWSResource")).toEqual(["true"]);
  });

  it("can leave the service-linked role out", () => {
    const { statements } = keyPolicies({ ebs: { userRoleArns: [role("node")], autoScalingServiceLinkedRole: false } }).byAlias[
      "alias/shipyard-prod-ebs"
    ]!;
    expect(statements.map((s) => s.sid)).not.toContain("AutoScalingServiceLinkedRoleUse");
  });

  it("lets only this trail encrypt with the S3 key, and the admins decrypt trail logs", () => {
    const { statements } = keyPolicies().byAlias["alias/shipyard-prod-s3"]!;
    const ct = bySid(statements, "CloudTrailEncrypt");
    expect(ct.principals).toEqual([{ type: "Service", identifiers: ["cloudtrail.amazonaws.com"] }]);
    expect(conditionValues(ct, "aws:SourceArn")).toEqual([trail]);
    expect(conditionValues(ct, "kms:EncryptionContext:aws:cloudtrail:arn")).toEqual([`arn:aws:cloudtrail:*:${ACCOUNT}:trail/*`]);
    expect(bySid(statements, "TrailLogReaders").principals).toEqual([{ type: "AWS", identifiers: [admin] }]);
    expect(conditionValues(bySid(statements, "S3ObjectUsers"), "kms:ViaService")).toEqual(["s3.eu-west-1.amazonaws.com"]);
  });

  it("scopes the Secrets Manager key to this environment's secrets and the SNS key to the publishers", () => {
    const { byAlias } = keyPolicies();
    const sm = bySid(byAlias["alias/shipyard-prod-secrets"]!.statements, "SecretsManagerUsers");
    expect(conditionValues(sm, "kms:ViaService")).toEqual(["secretsmanager.eu-west-1.amazonaws.com"]);
    expect(conditionValues(sm, "kms:EncryptionContext:SecretARN")).toEqual([
      `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:shipyard-prod/*`,
    ]);
    const sns = bySid(byAlias["alias/shipyard-prod-sns"]!.statements, "SnsPublishers");
    expect(conditionValues(sns, "aws:PrincipalArn")).toEqual([role("alertmanager")]);
    expect(conditionValues(sns, "kms:ViaService")).toEqual(["sns.eu-west-1.amazonaws.com"]);
    const eks = bySid(byAlias["alias/shipyard-prod-cluster-secrets"]!.statements, "ClusterRoleGrants");
    expect(conditionValues(eks, "aws:PrincipalArn")).toEqual([role("cluster")]);
  });

  it("lets the EBS CSI driver create, list and revoke grants on the EBS key, only for AWS resources", () => {
    // Without it the CSI driver cannot attach encrypted volumes (its identity policy's grant statement alone grants nothing).
    const { statements } = keyPolicies({ ebs: { userRoleArns: [role("node"), role("ebs-csi")], grantManagerRoleArns: [role("ebs-csi")] } })
      .byAlias["alias/shipyard-prod-ebs"]!;
    const grants = bySid(statements, "Ec2VolumeGrantManagement");
    expect(grants.actions).toEqual(["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"]);
    expect(conditionValues(grants, "aws:PrincipalArn")).toEqual([role("ebs-csi")]);
    expect(conditionValues(grants, "kms:GrantIsForAWSResource")).toEqual(["true"]);
  });

  it("delegates key use (never administration) to the identity policies of this environment's roles when asked", () => {
    const pattern = `arn:aws:iam::${ACCOUNT}:role/shipyard-prod-*`;
    const { byAlias } = keyPolicies({ identityPolicyPrincipalPatterns: [pattern] });
    for (const { statements } of Object.values(byAlias)) {
      const use = bySid(statements, "IdentityPoliciesOfEnvironmentRoles");
      expect(use.principals).toEqual([{ type: "AWS", identifiers: [`arn:aws:iam::${ACCOUNT}:root`] }]);
      expect(conditionValues(use, "aws:PrincipalArn")).toEqual([pattern]);
      expect(use.actions).not.toContain("kms:*");
      expect(use.actions!.some((a) => /Put|Delete|Schedule|Disable|Create\*/.test(a))).toBe(false);
      expect(conditionValues(bySid(statements, "IdentityPoliciesOfEnvironmentRolesGrants"), "kms:GrantIsForAWSResource")).toEqual(["true"]);
    }
    // Off by default: then only the key policy's named principals count.
    expect(keyPolicies().byAlias["alias/shipyard-prod-ebs"]!.statements.map((s) => s.sid)).not.toContain(
      "IdentityPoliciesOfEnvironmentRoles",
    );
  });

  it("narrows every Principal * statement to named principal ARNs and this account", () => {
    const { byAlias } = keyPolicies();
    for (const { statements } of Object.values(byAlias)) {
      for (const s of statements.filter((x) => x.principals?.some((p) => p.identifiers.includes("*")))) {
        expect(conditionValues(s, "aws:PrincipalArn")?.length, s.sid).toBeGreaterThan(0);
        expect(conditionValues(s, "kms:CallerAccount"), s.sid).toEqual([ACCOUNT]);
      }
    }
  });

  it.each([
    ["no administrators", { administratorArns: [] }, "administratorArns"],
    ["the account root as administrator", { administratorArns: [`arn:aws:iam::${ACCOUNT}:root`] }, "administratorArns[0]"],
    ["everyone as administrator", { administratorArns: ["*"] }, "administratorArns[0]"],
    ["a deletion window of 6 days", { deletionWindowDays: 6 }, "deletionWindowDays"],
    ["a deletion window of 31 days", { deletionWindowDays: 31 }, "deletionWindowDays"],
    ["no EBS users", { ebs: { userRoleArns: [] } }, "ebs.userRoleArns"],
    ["a trail ARN that is not one", { s3: { trailArns: ["arn:aws:s3:::bucket"] } }, "s3.trailArns"],
    [
      "an EBS grant manager that is not a role",
      { ebs: { userRoleArns: [role("node")], grantManagerRoleArns: ["ebs-csi"] } },
      "ebs.grantManagerRoleArns[0]",
    ],
    [
      "a delegation pattern for every role of the account",
      { identityPolicyPrincipalPatterns: [`arn:aws:iam::${ACCOUNT}:role/*`] },
      "identityPolicyPrincipalPatterns[0]",
    ],
    ["an account root as SNS publisher", { sns: { publisherRoleArns: [`arn:aws:iam::${ACCOUNT}:root`] } }, "sns.publisherRoleArns[0]"],
  ] as const)("refuses %s", (_name, over, path) => {
    expectRefused(() => synth((scope) => new PlatformKeys(scope, "keys", props(over as Partial<PlatformKeysProps>))), path);
  });
});

describe("CustomerKey", () => {
  const base = { alias: "shipyard-dev-test", description: "test", administratorArns: [admin] };

  it("defaults to a 30-day deletion window and yearly rotation", () => {
    const json = synth((scope) => new CustomerKey(scope, "k", base));
    const key = Object.values(resources(json, "aws_kms_key"))[0]!;
    expect(key.deletion_window_in_days).toBe(30);
    expect(key.rotation_period_in_days).toBe(365);
  });

  it.each([
    [
      "kms:* for a user",
      {
        statements: [
          {
            sid: "All",
            effect: "Allow" as const,
            principals: [{ type: "AWS", identifiers: [admin] }],
            actions: ["kms:*"],
            resources: ["*"],
          },
        ],
      },
    ],
    [
      "Principal * without a principal condition",
      {
        statements: [
          {
            sid: "Open",
            effect: "Allow" as const,
            principals: [{ type: "AWS", identifiers: ["*"] }],
            actions: ["kms:Decrypt"],
            resources: ["*"],
          },
        ],
      },
    ],
    [
      "a duplicate sid",
      { statements: [{ sid: "KeyAdministrators", effect: "Allow" as const, actions: ["kms:Decrypt"], resources: ["*"] }] },
    ],
    ["an alias with the alias/ prefix", { alias: "alias/x" }],
    ["a rotation period of 30 days", { rotationPeriodDays: 30 }],
  ])("refuses %s", (_name, over) => {
    expect(() => synth((scope) => new CustomerKey(scope, "k", { ...base, ...over }))).toThrow(ShipyardValidationError);
  });
});
