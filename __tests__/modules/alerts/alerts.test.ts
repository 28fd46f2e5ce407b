import { describe, expect, it } from "vitest";
import { AlertsTopic, type AlertsTopicProps } from "../../../modules/alerts";
import { bySid, conditionValues, expectRefused, only, statementsOf, synth } from "../../policies/synth";

const am = "arn:aws:iam::333333333333:role/shipyard-prod-alertmanager";
const base: AlertsTopicProps = {
  topicName: "shipyard-prod-alerts",
  kmsKeyArn: "arn:aws:kms:eu-west-1:333333333333:key/sns",
  publisherRoleArns: [am],
};
const build = (over: Partial<AlertsTopicProps> = {}) => synth((scope) => new AlertsTopic(scope, "alerts", { ...base, ...over }));

describe("AlertsTopic", () => {
  it("creates a KMS-encrypted topic", () => {
    expect(only(build(), "aws_sns_topic")).toMatchObject({ name: "shipyard-prod-alerts", kms_master_key_id: base.kmsKeyArn });
  });

  it("lets only Alertmanager publish, over TLS", () => {
    const json = build();
    const statements = statementsOf(json, only(json, "aws_sns_topic_policy").policy);
    expect(conditionValues(bySid(statements, "DenyInsecureTransport"), "aws:SecureTransport")).toEqual(["false"]);
    expect(bySid(statements, "DenyInsecureTransport").actions).toContain("sns:Publish");
    const allow = bySid(statements, "AllowPublishers");
    expect(allow.actions).toEqual(["sns:Publish"]);
    expect(conditionValues(allow, "aws:PrincipalArn")).toEqual([am]);
    const deny = bySid(statements, "DenyPublishToOthers");
    expect(deny.effect).toBe("Deny");
    expect(deny.condition).toEqual([{ test: "ArnNotEqualsIfExists", variable: "aws:PrincipalArn", values: [am] }]);
  });

  it.each([
    ["no publisher", { publisherRoleArns: [] }, "publisherRoleArns"],
    ["everyone as publisher", { publisherRoleArns: ["*"] }, "publisherRoleArns[0]"],
    ["no key", { kmsKeyArn: "" }, "kmsKeyArn"],
    ["an invalid name", { topicName: "alerts.fifo!" }, "topicName"],
  ] as const)("refuses %s", (_name, over, path) => {
    expectRefused(() => build(over as Partial<AlertsTopicProps>), path);
  });
});
