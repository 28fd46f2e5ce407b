import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { ENVIRONMENTS_DIR, type EnvironmentConfig, loadEnvironments } from "../../src/config";
import { FoundationStack, type FoundationOutputs } from "../../src/stacks/foundation";
import { STATEFUL_RESOURCE_TYPES } from "../../src/stacks/prevent-destroy";
import { KEY_PURPOSES } from "../../modules/kms";
import { type Json, bySid, conditionValues, only, resources, statementsOf } from "../policies/synth";

const ENVS = loadEnvironments(ENVIRONMENTS_DIR);
const byName = (name: string) => ENVS.find((e) => e.name === name)!;

function build(env: EnvironmentConfig): { stack: FoundationStack; json: Json } {
  const app = Testing.app();
  const stack = new FoundationStack(app, { env, outdir: "cdktf.out" });
  return { stack, json: JSON.parse(Testing.synth(stack)) as Json };
}

/** The resource types of the foundation layer that hold state. */
const MY_STATEFUL = ["aws_kms_key", "aws_s3_bucket", "aws_ecr_repository", "aws_sns_topic", "aws_secretsmanager_secret"];

describe.each(ENVS.map((e) => [e.name, e] as const))("FoundationStack (%s)", (_name, env) => {
  const { stack, json } = build(env);
  const prefix = `shipyard-${env.name}`;

  it("creates a key per purpose with the tier's deletion window", () => {
    const aliases = Object.values(resources(json, "aws_kms_alias"))
      .map((a) => a.name)
      .sort();
    expect(aliases).toEqual(KEY_PURPOSES.map((p) => `alias/${prefix}-${p}`).sort());
    for (const key of Object.values(resources(json, "aws_kms_key"))) {
      expect(key.deletion_window_in_days).toBe(env.protection.kmsDeletionWindowDays);
      expect(key.enable_key_rotation).toBe(true);
      const admins = bySid(statementsOf(json, key.policy), "KeyAdministrators");
      // The admins, the break-glass role, and the deployer that applies this layer (KMS refuses a policy locking its author out).
      expect(admins.principals![0]!.identifiers).toEqual([
        ...env.access.admins,
        env.access.breakGlass,
        `arn:aws:iam::${env.account}:role/${prefix}-deployer`,
      ]);
    }
  });

  it("creates the backup and SSM staging buckets, repositories, secrets and the alerts topic by the naming conventions", () => {
    expect(resources(json, "aws_cloudtrail")).toEqual({});
    expect(
      Object.values(resources(json, "aws_s3_bucket"))
        .map((b) => b.bucket)
        .sort(),
    ).toEqual([`${prefix}-backups-${env.account}`, `${prefix}-ssm-${env.account}`].sort());
    expect(
      Object.values(resources(json, "aws_ecr_repository"))
        .map((r) => r.name)
        .sort(),
    ).toEqual(env.ecr.repositories.map((r) => r.name).sort());
    expect(
      Object.values(resources(json, "aws_secretsmanager_secret"))
        .map((s) => s.name)
        .sort(),
    ).toEqual(env.secrets.items.map((s) => `${prefix}/${s.name}`).sort());
    for (const s of Object.values(resources(json, "aws_secretsmanager_secret")))
      expect(s.recovery_window_in_days).toBe(env.secrets.recoveryWindowDays);
    expect(only(json, "aws_sns_topic").name).toBe(`${prefix}-alerts`);
  });

  it("never puts a secret value into the synthesized JSON", () => {
    expect(resources(json, "aws_secretsmanager_secret_version")).toEqual({});
    expect(JSON.stringify(json)).not.toMatch(/secret_string|secret_binary/);
  });

  it("creates no IAM role or policy: the boundary, the deployer and the trail's role are the bootstrap layer's", () => {
    expect(resources(json, "aws_iam_role")).toEqual({});
    expect(resources(json, "aws_iam_policy")).toEqual({});
  });

  it("lets Ansible over SSM use the staging bucket's key: the controller (deployer, admins) and the nodes", () => {
    const s3Key = Object.values(resources(json, "aws_kms_key")).find((k) => k.description.includes("S3 objects"))!;
    const users = bySid(statementsOf(json, s3Key.policy), "S3ObjectUsers");
    expect(conditionValues(users, "aws:PrincipalArn")).toEqual(
      expect.arrayContaining([`arn:aws:iam::${env.account}:role/${prefix}-deployer`, `arn:aws:iam::${env.account}:role/${prefix}-node`]),
    );
    expect(conditionValues(users, "kms:ViaService")).toEqual([`s3.${env.region}.amazonaws.com`]);
  });

  it("lets the EBS CSI driver manage grants on the EBS key", () => {
    const ebsKey = Object.values(resources(json, "aws_kms_key")).find((k) => k.description.includes("EBS volumes"))!;
    expect(conditionValues(bySid(statementsOf(json, ebsKey.policy), "Ec2VolumeGrantManagement"), "aws:PrincipalArn")).toEqual([
      `arn:aws:iam::${env.account}:role/${prefix}-ebs-csi`,
    ]);
  });

  it("backs up to a bucket only Velero and the admins use, expiring with the tier", () => {
    const rules = Object.values(resources(json, "aws_s3_bucket_lifecycle_configuration")).map((l) => l.rule[0]);
    expect(rules.map((r) => r.expiration[0].days)).toContain(env.backup.bucketExpirationDays);
    const policies = Object.values(resources(json, "aws_s3_bucket_policy")).map((p) => statementsOf(json, p.policy));
    const backup = policies.find((s) => s.some((x) => x.sid === "VeleroObjects"))!;
    expect(conditionValues(bySid(backup, "VeleroObjects"), "aws:PrincipalArn")).toEqual([
      `arn:aws:iam::${env.account}:role/${prefix}-velero`,
    ]);
    expect(conditionValues(bySid(backup, "DenyObjectAccessToOthers"), "aws:PrincipalArn")).toEqual([
      `arn:aws:iam::${env.account}:role/${prefix}-velero`,
      ...env.access.admins,
    ]);
  });

  it("exports typed outputs for the other layers", () => {
    const outputs: FoundationOutputs = stack;
    for (const [field, value] of [
      ...Object.entries(outputs.keyArns).map(([purpose, arn]) => [`keyArns.${purpose}`, arn] as const),
      ["alertsTopicArn", outputs.alertsTopicArn],
      ["backupBucketName", outputs.backupBucketName],
      ["backupBucketArn", stack.backupBucketArn],
    ] as const) {
      expect(typeof value, field).toBe("string");
      expect(value, field).toMatch(/\$\{/);
    }
    expect(Object.keys(stack.repositoryUrls)).toEqual(env.ecr.repositories.map((r) => r.name));
    expect(Object.keys(stack.secretArns)).toEqual(env.secrets.items.map((s) => s.name));
    expect(Object.keys(outputs.secretNames)).toEqual(env.secrets.items.map((s) => s.name));
    expect(Object.keys(outputs.keyArns).sort()).toEqual([...KEY_PURPOSES].sort());
  });

  it(`${env.protection.preventDestroy ? "protects" : "does not protect"} every stateful resource with prevent_destroy`, () => {
    for (const type of MY_STATEFUL) {
      expect(STATEFUL_RESOURCE_TYPES).toContain(type);
      // tools hosts Jenkins and no application images: no repositories.
      if (type === "aws_ecr_repository" && env.ecr.repositories.length === 0) continue;
      const all = Object.entries(resources(json, type));
      expect(all.length, type).toBeGreaterThan(0);
      for (const [id, r] of all) expect(r.lifecycle?.prevent_destroy === true, `${type}.${id}`).toBe(env.protection.preventDestroy);
    }
  });
});

describe("FoundationStack tiers", () => {
  it("protects stateful resources in prod and not in dev", () => {
    expect(byName("prod").protection.preventDestroy).toBe(true);
    expect(byName("dev").protection.preventDestroy).toBe(false);
    const prod = build(byName("prod")).json;
    const dev = build(byName("dev")).json;
    for (const type of MY_STATEFUL) {
      expect(
        Object.values(resources(prod, type)).every((r) => r.lifecycle?.prevent_destroy === true),
        type,
      ).toBe(true);
      expect(
        Object.values(resources(dev, type)).some((r) => r.lifecycle?.prevent_destroy),
        type,
      ).toBe(false);
    }
  });
});
