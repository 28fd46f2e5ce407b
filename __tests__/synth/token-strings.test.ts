import { App, TerraformOutput, TerraformStack, TerraformVariable } from "cdktf";
import { describe, expect, it } from "vitest";
import { withExtraApplications } from "../../bench/scale.mjs";
import { ENVIRONMENTS_DIR, loadEnvironments, type EnvironmentConfig } from "../../src/config";
import { buildApp } from "../../src/synth/synthesize";
import { largeTokenStrings, TOKEN_STRING_LIMIT_BYTES } from "../../src/synth/token-strings";
import { environmentYaml, parse, ROOT } from "../support/environments";
import * as path from "node:path";

/** Every environment's stacks built on one App, as `shipyard synth` builds them (nothing is written). */
function built(envs: readonly EnvironmentConfig[]): App {
  const app = new App({ outdir: "cdktf.out", stackTraces: false, skipValidation: true });
  buildApp(app, envs, "cdktf.out");
  return app;
}

describe("strings that carry a Terraform token stay small (synthesis stays linear in the size of an environment)", () => {
  it("holds for every checked-in environment", () => {
    const envs = loadEnvironments(path.join(ROOT, ENVIRONMENTS_DIR));
    expect(envs.length).toBeGreaterThan(0);
    expect(largeTokenStrings(built(envs))).toEqual([]);
  });

  it("holds for an environment with 50 more applications (rule groups and dashboards grow with them)", () => {
    const env = parse(withExtraApplications(environmentYaml("staging"), 50), "staging");
    expect(env.applications.length).toBeGreaterThan(50);
    expect(largeTokenStrings(built([env]))).toEqual([]);
  });

  it("is checked by a detector that finds a large string carrying a token, and only that one", () => {
    const app = new App({ outdir: "cdktf.out", stackTraces: false, skipValidation: true });
    const stack = new TerraformStack(app, "probe");
    const reference = new TerraformVariable(stack, "arn", { type: "string" }).stringValue;
    const bulk = "x".repeat(TOKEN_STRING_LIMIT_BYTES);
    new TerraformOutput(stack, "large", { value: `${bulk}${reference}` });
    new TerraformOutput(stack, "small", { value: `arn is ${reference}` });
    new TerraformOutput(stack, "literal", { value: `${bulk}${bulk}` });
    const found = largeTokenStrings(app);
    expect(found).toEqual([{ construct: "probe/large", key: "output.large.value", bytes: expect.any(Number) }]);
    expect(found[0]!.bytes).toBeGreaterThan(TOKEN_STRING_LIMIT_BYTES);
  });
});
