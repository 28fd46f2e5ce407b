import { describe, expect, it } from "vitest";
import { App } from "cdktf";
import { buildEnvironment, LAYERS } from "../../src/stacks";
import { configureBackend } from "../../src/stacks/backend";
import { loadFixture } from "../support/environments";
import { Testing } from "cdktf";
import type { EnvironmentConfig } from "../../src/config";

function stackJson(env: EnvironmentConfig, layer: (typeof LAYERS)[number]) {
  const app = Testing.app({ stackTraces: false });
  const stacks = buildEnvironment(app, env, { outdir: "cdktf.out" });
  return JSON.parse(Testing.synth(stacks[layer], false));
}

describe("one stack per layer per environment", () => {
  it("names stacks <env>-<layer> and orders them bootstrap → foundation → network → cluster → platform → workloads", () => {
    const app = new App({ stackTraces: false, skipValidation: true });
    const stacks = buildEnvironment(app, loadFixture("dev"), { outdir: "cdktf.out" });
    expect(Object.values(stacks).map((s) => s.node.id)).toEqual(LAYERS.map((l) => `dev-${l}`));
    expect(stacks.foundation.dependencies).toContain(stacks.bootstrap);
    expect(stacks.network.dependencies).toContain(stacks.foundation);
    expect(stacks.cluster.dependencies).toContain(stacks.network);
    expect(stacks.platform.dependencies).toContain(stacks.cluster);
    expect(stacks.workloads.dependencies).toContain(stacks.platform);
  });

  it("pins the AWS provider to the environment's account and region with default tags", () => {
    const json = stackJson(loadFixture("prod"), "network");
    expect(json.provider.aws[0]).toMatchObject({
      region: "eu-west-1",
      allowed_account_ids: ["333333333333"],
      default_tags: [
        { tags: expect.objectContaining({ "shipyard:environment": "prod", "shipyard:layer": "network", "managed-by": "shipyard" }) },
      ],
    });
  });

  it("keeps the Kubernetes and Helm providers out of the layers that create the cluster", () => {
    const env = loadFixture("dev");
    for (const layer of ["foundation", "network", "cluster"] as const) {
      const providers = Object.keys(stackJson(env, layer).provider ?? {});
      expect(providers, layer).not.toContain("kubernetes");
      expect(providers, layer).not.toContain("helm");
    }
  });
});

describe("state backends", () => {
  it("local: a path relative to the folder terraform runs in", () => {
    const json = stackJson(loadFixture("dev", { set: ["state"], value: { backend: "local" } }), "network");
    expect(json.terraform.backend.local.path).toBe("../../../terraform-state/dev-network.tfstate");
  });

  it("cloud: one named workspace per stack", () => {
    const json = stackJson(loadFixture("prod"), "cluster");
    expect(json.terraform.cloud).toEqual({
      hostname: "app.terraform.io",
      organization: "shipyard-example",
      workspaces: { name: "shipyard-prod-cluster", project: "platform" },
    });
  });

  it("s3: encrypted with the state key the bootstrap layer creates, with native locking", () => {
    const env = loadFixture("dev", { set: ["state"], value: { backend: "s3", bucket: "acme-terraform-state", region: "eu-west-1" } });
    const json = stackJson(env, "foundation");
    expect(json.terraform.backend.s3).toEqual({
      bucket: "acme-terraform-state",
      key: "shipyard/dev-foundation.tfstate",
      region: "eu-west-1",
      encrypt: true,
      kms_key_id: "arn:aws:kms:eu-west-1:111111111111:alias/acme-terraform-state-state",
      use_lockfile: true,
    });
  });

  it("refuses an absolute output folder, so no absolute path reaches the output", () => {
    const app = new App({ stackTraces: false });
    const stack = new (class extends (require("cdktf").TerraformStack as typeof import("cdktf").TerraformStack) {})(app, "x");
    const env = { state: { backend: "local", directory: "terraform-state" }, account: "111111111111", region: "eu-west-1" } as const;
    expect(() => configureBackend(stack, "x", env, { outdir: "/abs/out" })).toThrow(/relative/);
  });
});
