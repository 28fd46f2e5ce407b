import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ansibleVars, ansibleVarsGenerator } from "../../src/generate/ansible";
import { loadFixture } from "../support/environments";

describe("generated/ansible/<env>.yml", () => {
  const env = loadFixture("prod");
  const vars = ansibleVars(env) as Record<string, any>;

  it("carries the cluster, region and node settings of the environment config", () => {
    expect(vars).toMatchObject({ shipyard_env: "prod", cluster_name: "shipyard-prod", aws_region: env.region, ssm_bucket: "shipyard-prod-ssm-333333333333" });
    expect(vars.node.sysctls).toEqual({ ...env.cluster.nodeSettings.sysctls });
    expect(vars.node.kubelet.eviction_hard).toEqual({ ...env.cluster.nodeSettings.evictionHard });
    expect(vars.node.kubelet.system_reserved).toEqual({ ...env.cluster.nodeSettings.systemReserved });
  });

  it("lists each application with its settings and the Secrets Manager names of its secrets, never values", () => {
    expect(vars.applications).toEqual(
      env.applications.map((app) => ({
        name: app.name,
        namespace: app.namespace,
        config: { ...app.config },
        secrets: app.secrets.map((name) => ({
          name,
          remote_key: `shipyard-prod/${name}`,
          properties: [...env.secrets.items.find((s) => s.name === name)!.keys],
        })),
      })),
    );
  });

  it("is one YAML file per environment that round-trips and holds no template markers", () => {
    const files = ansibleVarsGenerator.generate([env, loadFixture("dev")]);
    expect(Object.keys(files)).toEqual(["ansible/prod.yml", "ansible/dev.yml"]);
    expect(parse(files["ansible/prod.yml"]!)).toEqual(vars);
    expect(files["ansible/prod.yml"]).not.toMatch(/\{\{|\{%|\{#/);
  });
});
