import { describe, expect, it } from "vitest";
import { SECRET_READ_ACTIONS, Secrets, type SecretsProps } from "../../../modules/secrets";
import { bySid, conditionValues, expectRefused, resources, statementsOf, synth } from "../../policies/synth";

const es = "arn:aws:iam::111111111111:role/shipyard-dev-external-secrets";
const admin = "arn:aws:iam::111111111111:role/PlatformAdmin";
const KEY = "arn:aws:kms:eu-west-1:111111111111:key/secrets";
const base: SecretsProps = {
  namePrefix: "shipyard-dev",
  items: [
    { name: "grafana-admin", description: "Grafana login", keys: ["admin-user", "admin-password"] },
    { name: "alertmanager-slack", description: "Slack webhook", keys: ["webhook-url"] },
  ],
  kmsKeyArn: KEY,
  recoveryWindowDays: 7,
  readerRoleArns: [es],
  administratorArns: [admin],
};
const build = (over: Partial<SecretsProps> = {}) => synth((scope) => new Secrets(scope, "secrets", { ...base, ...over }));

describe("Secrets", () => {
  it("creates encrypted secrets named shipyard-<env>/<name> with the recovery window", () => {
    const secrets = Object.values(resources(build(), "aws_secretsmanager_secret"));
    expect(secrets.map((s) => s.name).sort()).toEqual(["shipyard-dev/alertmanager-slack", "shipyard-dev/grafana-admin"]);
    for (const s of secrets) {
      expect(s.kms_key_id).toBe(KEY);
      expect(s.recovery_window_in_days).toBe(7);
    }
    expect(secrets.find((s) => s.name === "shipyard-dev/grafana-admin")!.tags["shipyard:keys"]).toBe("admin-user admin-password");
  });

  it("never creates a secret version, so no value can reach state or plan output", () => {
    const json = build();
    expect(resources(json, "aws_secretsmanager_secret_version")).toEqual({});
    expect(JSON.stringify(json)).not.toMatch(/secret_string|secret_binary/);
  });

  it("denies plain HTTP, and reading or writing values to anyone but the readers and administrators", () => {
    const json = build();
    const policies = Object.values(resources(json, "aws_secretsmanager_secret_policy"));
    expect(policies).toHaveLength(2);
    for (const policy of policies) {
      expect(policy.block_public_policy).toBe(true);
      const statements = statementsOf(json, policy.policy);
      expect(statements.every((s) => s.effect === "Deny")).toBe(true);
      expect(conditionValues(bySid(statements, "DenyInsecureTransport"), "aws:SecureTransport")).toEqual(["false"]);
      const read = bySid(statements, "DenyReadToOthers");
      expect(read.actions).toEqual([...SECRET_READ_ACTIONS]);
      expect(read.condition).toEqual([{ test: "ArnNotEquals", variable: "aws:PrincipalArn", values: [es, admin] }]);
      expect(conditionValues(bySid(statements, "DenyWriteToOthers"), "aws:PrincipalArn")).toEqual([admin]);
    }
  });

  it.each([
    ["a recovery window of 0 days", { recoveryWindowDays: 0 }, "recoveryWindowDays"],
    ["a recovery window of 31 days", { recoveryWindowDays: 31 }, "recoveryWindowDays"],
    ["no reader", { readerRoleArns: [] }, "readerRoleArns"],
    ["no administrator", { administratorArns: [] }, "administratorArns"],
    ["a duplicate secret", { items: [base.items[0]!, base.items[0]!] }, "items[1].name"],
    ["a value in config", { items: [{ ...base.items[0]!, value: "hunter2" } as never] }, "items[0]"],
  ] as const)("refuses %s", (_name, over, path) => {
    expectRefused(() => build(over as Partial<SecretsProps>), path);
  });
});
