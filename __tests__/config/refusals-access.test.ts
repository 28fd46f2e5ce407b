/**
 * Refusals of the deploy identity and state keys: each names the file, the key path and what was
 * expected (the CLI turns a ConfigError into exit 2 with nothing written, see __tests__/cli).
 */
import { describe, expect, it } from "vitest";
import { editYaml, environmentYaml, parse, problemsOf } from "../support/environments";

const PROD = environmentYaml("prod");
const problems = (text: string) => [...problemsOf(text).problems];

describe("access.breakGlass", () => {
  it("is accepted as an IAM role ARN and reaches the config", () => {
    expect(parse(PROD).access.breakGlass).toBe("arn:aws:iam::333333333333:role/BreakGlassAdmin");
  });

  it.each([
    ["a bare role name", "BreakGlassAdmin"],
    ["the account root", "arn:aws:iam::333333333333:root"],
    ["an S3 ARN", "arn:aws:s3:::bucket"],
  ])("refuses %s", (_name, value) => {
    expect(problems(editYaml(PROD, { set: ["access", "breakGlass"], value }))).toEqual([
      expect.objectContaining({
        file: "environments/prod.yaml",
        path: "access.breakGlass",
        message: expect.stringMatching(/expected an IAM role or user ARN/),
      }),
    ]);
  });

  it("is required: a key policy with no break-glass administrator can lock everyone out", () => {
    expect(problems(editYaml(PROD, { delete: ["access", "breakGlass"] }))).toEqual([
      expect.objectContaining({ path: "access.breakGlass", message: expect.stringMatching(/is required/) }),
    ]);
  });
});

describe("state.organization", () => {
  it("is required for a cloud backend", () => {
    expect(problems(editYaml(PROD, { delete: ["state", "organization"] }))).toEqual([
      expect.objectContaining({
        file: "environments/prod.yaml",
        path: "state.organization",
        message: expect.stringMatching(/is required/),
      }),
    ]);
  });

  it("refuses a name Terraform Cloud would not accept", () => {
    expect(problems(editYaml(PROD, { set: ["state", "organization"], value: "my org!" }))).toEqual([
      expect.objectContaining({
        path: "state.organization",
        message: expect.stringMatching(/expected a Terraform Cloud organization name/),
      }),
    ]);
  });
});

describe("protection waivers", () => {
  it("refuses waived checks without a reason", () => {
    expect(problems(editYaml(PROD, { set: ["protection", "waivedChecks"], value: ["CKV_AWS_338"] }))).toEqual([
      expect.objectContaining({
        file: "environments/prod.yaml",
        path: "protection.waiverReason",
        message: expect.stringMatching(/got nothing \(expected a reason why protection\.waivedChecks do not apply/),
      }),
    ]);
  });

  it("refuses a check id that is not one", () => {
    const text = editYaml(
      PROD,
      { set: ["protection", "waivedChecks"], value: ["replication"] },
      { set: ["protection", "waiverReason"], value: "one region by design" },
    );
    expect(problems(text)).toEqual([
      expect.objectContaining({ path: "protection.waivedChecks[0]", message: expect.stringMatching(/expected a Checkov check id/) }),
    ]);
  });

  it("refuses a check that is not waivable", () => {
    const text = editYaml(
      PROD,
      { set: ["protection", "waivedChecks"], value: ["CKV_AWS_144"] },
      { set: ["protection", "waiverReason"], value: "one region by design" },
    );
    expect(problems(text)).toEqual([
      expect.objectContaining({
        path: "protection.waivedChecks[0]",
        message: expect.stringMatching(/expected a check an environment may waive: one of CKV_AWS_338, CKV_AWS_39/),
      }),
    ]);
  });

  it("accepts waived checks with a reason", () => {
    const text = editYaml(
      PROD,
      { set: ["protection", "waivedChecks"], value: ["CKV_AWS_338"] },
      { set: ["protection", "waiverReason"], value: "one region by design" },
    );
    expect(parse(text).protection.waivedChecks).toEqual(["CKV_AWS_338"]);
  });
});
